package dev.monitoring.runner.jobs;

import dev.monitoring.model.Category;

import java.time.Duration;
import java.util.List;

/**
 * One configured job: either a {@link CommandSpec} or a {@link DemoSpec}, run once per target.
 *
 * @param cron           Quartz cron of when the job is due again after a success
 * @param expectedOutput file path or glob that must exist and be newer than the attempt's start; null: none
 * @param freshSeconds   freshness thresholds passed along in job events for the monitor; null: monitor defaults
 */
public record JobDefinition(String name, CommandSpec command, DemoSpec demo, List<Target> targets, String cron,
                            Duration timeout, int maxAttempts, Duration backoff, String expectedOutput,
                            Category category, Long freshSeconds, Long staleSeconds, List<String> transientPatterns) {

    public JobDefinition {
        targets = targets == null || targets.isEmpty() ? List.of(Target.NONE) : List.copyOf(targets);
        transientPatterns = transientPatterns == null ? List.of() : List.copyOf(transientPatterns);
        category = category == null ? Category.UNKNOWN : category;
    }

    public String kind() {
        return command != null ? "command" : "demo";
    }

    /** Backoff before attempt {@code nextAttempt} (2, 3, ...): backoff, 2 x backoff, 4 x backoff... */
    public Duration backoffBefore(int nextAttempt) {
        return backoff.multipliedBy(1L << Math.min(20, Math.max(0, nextAttempt - 2)));
    }
}
