package dev.monitoring.gateway.ratelimit;

/**
 * A token bucket on a clock the caller passes in (nanoseconds): {@code perSecond} tokens a second, at most
 * {@code capacity} saved up. The caller's clock makes it testable without sleeping.
 *
 * <p>Not thread-safe: its owner synchronises.
 */
public final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    /** A full bucket. */
    public TokenBucket(double perSecond, double capacity, long nowNanos) {
        if (perSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("a rate above 0 and room for a token at least, not " + perSecond + "/s and " + capacity);
        }
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.refilledAt = nowNanos;
    }

    /** Takes a token; false when there is none. */
    public boolean take(long nowNanos) {
        refill(nowNanos);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** How long until a token is there: 0 when one is. */
    public long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    /** Whether the bucket is full again: it holds nothing a new bucket would not. */
    public boolean full(long nowNanos) {
        return tokensAt(nowNanos) >= capacity;
    }

    /** A caller's clock read before another caller's may come in after it: time never runs back. */
    private void refill(long nowNanos) {
        if (nowNanos > refilledAt) {
            tokens = tokensAt(nowNanos);
            refilledAt = nowNanos;
        }
    }

    private double tokensAt(long nowNanos) {
        return Math.min(capacity, tokens + Math.max(0, nowNanos - refilledAt) * perNano);
    }
}
