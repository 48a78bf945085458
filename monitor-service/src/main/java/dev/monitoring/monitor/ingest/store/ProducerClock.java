package dev.monitoring.monitor.ingest.store;

import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.LogText;
import dev.monitoring.model.OncePer;
import io.quarkus.logging.Log;

import java.time.Duration;
import java.time.Instant;

/**
 * The times a producer's events claim, held against the time the monitor received them. A success dated in the future
 * (a producer's clock a year ahead, a bug in a script) would keep its job fresh until that date, and since freshness
 * keeps the latest success, every honest success after it too: the job could stop without ever going stale. A time
 * further ahead than {@link #MAX_AHEAD} is taken as the time received, and said in the log (at most once a minute).
 */
final class ProducerClock {
    /** Ordinary drift between hosts stays far below this. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    private static final OncePer warning = new OncePer(Duration.ofMinutes(1));

    private ProducerClock() {
    }

    /** {@code claimed}, or {@code receivedAt} when the claim is more than {@link #MAX_AHEAD} after it. */
    static Instant notAhead(Instant claimed, Instant receivedAt, ExecutionEvent about) {
        if (claimed == null || receivedAt == null || !claimed.isAfter(receivedAt.plus(MAX_AHEAD))) {
            return claimed;
        }
        if (warning.due()) {
            Log.warnf("%s is dated %s, %d s after it was received: its producer's clock is ahead; the time received is used",
                    LogText.safe(describe(about)), claimed, Duration.between(receivedAt, claimed).toSeconds());
        }
        return receivedAt;
    }

    private static String describe(ExecutionEvent e) {
        return "A " + e.event().wireName() + " event of " + (e.isRunLevel() ? "run " + e.batchRunId() : "job " + e.job());
    }
}
