package dev.monitoring.monitor.alerts;

import dev.monitoring.monitor.freshness.FreshnessRow;
import dev.monitoring.monitor.freshness.FreshnessStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The job_stale alert says how long ago the last success was in a unit a person reads at a glance. */
class StaleJobMessageTest {
    private static final Instant LAST = Instant.parse("2026-11-30T06:00:00Z");

    @Test
    void theAgeIsInSecondsMinutesHoursOrDays() {
        assertThat(AlertRules.ago(-3)).isEqualTo("0 s ago");
        assertThat(AlertRules.ago(119)).isEqualTo("119 s ago");
        assertThat(AlertRules.ago(120)).isEqualTo("2 min ago");
        assertThat(AlertRules.ago(119 * 60 + 59)).isEqualTo("119 min ago");
        assertThat(AlertRules.ago(2 * 3600)).isEqualTo("2 h ago");
        assertThat(AlertRules.ago(47 * 3600 + 3599)).isEqualTo("47 h ago");
        assertThat(AlertRules.ago(3 * 86_400 + 5)).isEqualTo("3 d ago");
    }

    @Test
    void aJobStaleForMinutesSaysMinutesNotZeroHours() {
        AlertCondition c = AlertRules.staleJob(row("fundamentals-refresh", null, null, LAST, 300L));
        assertThat(c.message()).isEqualTo("Job fundamentals-refresh is stale: last success 2026-11-30T06:00:00Z (5 min ago)");
        assertThat(c.key()).isEqualTo("job_stale:fundamentals-refresh||");
    }

    @Test
    void aTargetThatNeverSucceededSaysNever() {
        AlertCondition c = AlertRules.staleJob(row("daily-bars", "AAPL", "1d", null, null));
        assertThat(c.message()).isEqualTo("Job daily-bars AAPL 1d is stale: last success never");
    }

    private static FreshnessRow row(String job, String symbol, String timeframe, Instant lastSuccess, Long staleness) {
        return new FreshnessRow(job, symbol, timeframe, lastSuccess, lastSuccess, "completed", null, 0, staleness,
                FreshnessStatus.STALE);
    }
}
