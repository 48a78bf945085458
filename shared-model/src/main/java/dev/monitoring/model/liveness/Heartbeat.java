package dev.monitoring.model.liveness;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The progress of one long-running worker (a writer thread, a reader loop, a scheduled job, an event loop), so that
 * liveness can tell "working" from "stuck inside a call" or "dead". A worker that answers HTTP but no longer moves is
 * the failure this exists for: readiness stays UP while nothing is stored.
 *
 * <p>The worker says when it expects to make progress next; it is stalled once that moment plus the stall bound has
 * passed without a beat. A worker with nothing to do says so with {@link #idle()} and is never stalled.
 * Thread-safe: the fields are written by the worker and read by the health check.
 */
public final class Heartbeat {
    private static final long NEVER = Long.MAX_VALUE;

    private final String name;
    private final long stallAfterMillis;
    private final LongSupplier clock;
    private volatile long lastProgressAt;
    private volatile long dueBy;
    private volatile String death;

    Heartbeat(String name, Duration stallAfter, LongSupplier clock) {
        this.name = name;
        this.stallAfterMillis = stallAfter.toMillis();
        this.clock = clock;
        long now = clock.getAsLong();
        this.lastProgressAt = now;
        this.dueBy = now + stallAfterMillis;
    }

    public String name() {
        return name;
    }

    /** Progress made; the next is due within the stall bound (one turn of a loop). */
    public void beat() {
        long now = clock.getAsLong();
        lastProgressAt = now;
        dueBy = now + stallAfterMillis;
    }

    /** Progress made; the next is due only after {@code nextIn} (a periodic job between two runs), plus the bound. */
    public void beat(Duration nextIn) {
        long now = clock.getAsLong();
        lastProgressAt = now;
        dueBy = now + nextIn.toMillis() + stallAfterMillis;
    }

    /** Nothing is pending: no progress is expected until the next {@link #beat()}. */
    public void idle() {
        lastProgressAt = clock.getAsLong();
        dueBy = NEVER;
    }

    /** The worker ended for good while it should still run (an uncaught throwable, its thread gone). */
    public void died(String reason) {
        death = reason == null ? "ended" : reason;
    }

    /** Whether the worker still counts as running; a worker restarted after {@link #died} calls {@link #beat()} too. */
    public void revived() {
        death = null;
        beat();
    }

    public Status status() {
        long now = clock.getAsLong();
        String d = death;
        if (d != null) {
            return new Status(name, State.DEAD, now - lastProgressAt, d);
        }
        long due = dueBy;
        if (now > due) {
            return new Status(name, State.STALLED, now - lastProgressAt,
                    "no progress for " + (now - lastProgressAt) + " ms (bound " + stallAfterMillis + " ms)");
        }
        return new Status(name, due == NEVER ? State.IDLE : State.RUNNING, now - lastProgressAt, null);
    }

    public enum State {
        RUNNING, IDLE, STALLED, DEAD;

        public boolean alive() {
            return this == RUNNING || this == IDLE;
        }
    }

    /** What liveness shows of a worker. */
    public record Status(String worker, State state, long millisSinceProgress, String reason) {
    }
}
