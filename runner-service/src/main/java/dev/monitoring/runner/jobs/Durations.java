package dev.monitoring.runner.jobs;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations of the job file: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, ISO {@code PT30S}, or plain seconds. */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    static Duration parse(String text, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        Matcher m = SHORT.matcher(t);
        if (!m.matches()) {
            throw new JobFileException(where + ": '" + text + "' is not a duration (examples: 500ms, 30s, 5m, 1h)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> value;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            default -> value * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }
}
