package dev.monitoring.runner.jobs;

/** What one execution of a job works on: a symbol and a timeframe, both absent for an untargeted job. */
public record Target(String symbol, String timeframe) {
    public static final Target NONE = new Target(null, null);

    public boolean isNone() {
        return symbol == null && timeframe == null;
    }

    /** The label shown as {@code current_portfolio}, e.g. {@code AAPL/1d}; null for an untargeted job. */
    public String label() {
        if (isNone()) {
            return null;
        }
        return (symbol == null ? "*" : symbol) + "/" + (timeframe == null ? "*" : timeframe);
    }

    /** Database key part: '' instead of null, so (job, symbol, timeframe) is unique. */
    public String symbolKey() {
        return symbol == null ? "" : symbol;
    }

    public String timeframeKey() {
        return timeframe == null ? "" : timeframe;
    }

    public static Target fromKeys(String symbol, String timeframe) {
        return new Target(symbol == null || symbol.isEmpty() ? null : symbol,
                timeframe == null || timeframe.isEmpty() ? null : timeframe);
    }
}
