package dev.monitoring.monitor.checks;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When a check expects its next start: cron in the check's timezone, across daylight saving changes. */
class CheckScheduleTest {
    private static Instant next(String cron, String zone, String after) {
        return CheckSchedule.next(cron, zone, null, Instant.parse(after));
    }

    @Test
    void sixOClockInBerlinStaysSixOClockLocalAcrossBothDaylightSavingChanges() {
        // 29 March 2026: clocks go from 02:00 CET to 03:00 CEST, so 06:00 local moves from 05:00Z to 04:00Z
        assertThat(next("0 6 * * *", "Europe/Berlin", "2026-03-28T05:00:00Z")).isEqualTo("2026-03-29T04:00:00Z");
        // 25 October 2026: back from CEST to CET, 06:00 local moves from 04:00Z to 05:00Z
        assertThat(next("0 6 * * *", "Europe/Berlin", "2026-10-24T04:00:00Z")).isEqualTo("2026-10-25T05:00:00Z");
        assertThat(next("0 6 * * *", "UTC", "2026-03-28T06:00:00Z")).isEqualTo("2026-03-29T06:00:00Z");
    }

    @Test
    void aLocalTimeTheSpringChangeSkipsIsNotExpectedThatNight() {
        // 02:30 does not exist in Berlin on 29 March 2026, so no run is expected that night and none is reported late;
        // a cron that runs it anyway after the gap just sends a ping, which moves the next expected time as usual
        assertThat(next("30 2 * * *", "Europe/Berlin", "2026-03-28T01:30:00Z")).isEqualTo("2026-03-30T00:30:00Z");
        assertThat(next("30 2 * * *", "Europe/Berlin", "2026-03-29T01:31:00Z")).isEqualTo("2026-03-30T00:30:00Z");
    }

    @Test
    void crontabFieldsAndQuartzWithSecondsAndPeriodsAreAllUnderstood() {
        assertThat(next("*/15 * * * *", "UTC", "2026-12-01T05:07:00Z")).isEqualTo("2026-12-01T05:15:00Z");
        assertThat(next("30 0 6 * * ?", "UTC", "2026-12-01T05:07:00Z")).isEqualTo("2026-12-01T06:00:30Z");
        assertThat(CheckSchedule.next(null, "UTC", 90L, Instant.parse("2026-12-01T05:07:00Z"))).isEqualTo("2026-12-01T05:08:30Z");
        assertThat(CheckSchedule.problem("0 6 * *", "UTC")).contains("cron");
        assertThat(CheckSchedule.problem("0 6 * * *", "Europe/Nowhere")).contains("timezone");
        assertThat(CheckSchedule.problem("0 6 * * 1-5", "America/New_York")).isNull();
    }

    @Test
    void aDurationAnomalyNeedsEnoughEarlierRunsAndComparesWithTheirP95() {
        assertThat(CheckStates.anomaly(java.util.List.of(10L, 10L, 10L, 10L, 50L), 50L, 2.0)).as("only 4 earlier runs").isNull();
        assertThat(CheckStates.anomaly(java.util.List.of(10L, 10L, 10L, 10L, 10L, 20L), 20L, 2.0)).as("exactly 2 x").isNull();
        assertThat(CheckStates.anomaly(java.util.List.of(10L, 10L, 10L, 10L, 10L, 21L), 21L, 2.0)).contains("p95 of its last 5 runs (10 ms)");
    }
}
