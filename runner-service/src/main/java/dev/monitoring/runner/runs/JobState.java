package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.Target;

import java.time.Instant;

/** What the runner remembers of a job on one target between runs (table {@code runner.job_state}). */
public record JobState(String job, Target target, Instant lastAttemptAt, Instant lastSuccessAt, String lastStatus,
                       Instant nextRetryAt, int consecutiveFailures) {

    public static JobState never(String job, Target target) {
        return new JobState(job, target, null, null, null, null, 0);
    }

    public record Key(String job, String symbol, String timeframe) {
        public static Key of(String job, Target target) {
            return new Key(job, target.symbolKey(), target.timeframeKey());
        }
    }

    public boolean neverAttempted() {
        return lastAttemptAt == null;
    }

    public boolean neverSucceeded() {
        return lastSuccessAt == null;
    }

    public boolean lastFailed() {
        return "failed".equals(lastStatus);
    }
}
