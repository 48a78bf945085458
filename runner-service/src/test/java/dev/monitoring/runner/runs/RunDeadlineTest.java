package dev.monitoring.runner.runs;

import dev.monitoring.runner.config.RunnerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's deadline, which run_will_be_late projects its finish against: the next scheduled run, or the configured limit. */
class RunDeadlineTest {
    private static final Instant START = Instant.parse("2026-12-01T06:00:30Z");

    @Test
    void theNextScheduledRunUnlessALimitIsConfigured() {
        assertThat(RunCoordinator.deadline(schedule("0 * * * * ?", null), START)).isEqualTo("2026-12-01T06:01:00Z");
        assertThat(RunCoordinator.deadline(schedule("0 0 * * * ?", null), START)).isEqualTo("2026-12-01T07:00:00Z");
        assertThat(RunCoordinator.deadline(schedule("0 * * * * ?", Duration.ofMinutes(45)), START)).isEqualTo("2026-12-01T06:45:30Z");
        assertThat(RunCoordinator.deadline(schedule("off", Duration.ofMinutes(5)), START)).isEqualTo("2026-12-01T06:05:30Z");
        assertThat(RunCoordinator.deadline(schedule("off", null), START)).as("no schedule, no limit: no deadline").isNull();
    }

    private static RunnerConfig.Schedule schedule(String cron, Duration limit) {
        return new RunnerConfig.Schedule() {
            public String cron() { return cron; }
            public String fullRunCron() { return "off"; }
            public boolean fullRunEnabled() { return false; }
            public Optional<Duration> runDeadline() { return Optional.ofNullable(limit); }
        };
    }
}
