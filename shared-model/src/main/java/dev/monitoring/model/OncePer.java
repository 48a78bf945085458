package dev.monitoring.model;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Says yes at most once per interval, whichever thread asks: for a warning that a lasting fault (Redis or PostgreSQL
 * away, a producer's clock ahead) would otherwise write once per event. The first ask is a yes.
 */
public final class OncePer {
    private final long intervalNanos;
    private final AtomicLong last;

    public OncePer(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.last = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /** Whether the interval has passed since the last yes (and this is the one caller to get it). */
    public boolean due() {
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous >= intervalNanos && last.compareAndSet(previous, now);
    }
}
