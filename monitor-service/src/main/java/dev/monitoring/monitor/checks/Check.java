package dev.monitoring.monitor.checks;

import dev.monitoring.monitor.api.Rows;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A stored check with its latest signals; {@code openRunStartedAt} is the start of a run that has not finished (only
 * one that started after the last finish), {@code durationsMs} the last finished runs' durations, oldest first.
 */
record Check(String name, String schedule, String timezone, Long periodSeconds, long graceSeconds, Long maxRuntimeSeconds,
             Long minRuntimeSeconds, List<String> dependsOn, String pingKey, String badgeKey, String source, boolean paused, Instant createdAt,
             Instant lastPingAt, Instant lastStartAt, Instant lastFinishAt, String lastOutcome, Integer lastExitCode,
             Long lastDurationMs, Instant openRunStartedAt, List<Long> durationsMs) {

    /** Reads a row of {@link CheckStore#SELECT}. */
    static Check of(Row r) {
        String[] deps = r.getArrayOfStrings("depends_on");
        Long[] durations = r.getArrayOfLongs("recent_durations_ms");
        return new Check(r.getString("name"), r.getString("schedule"), r.getString("timezone"), r.getLong("period_seconds"),
                r.getLong("grace_seconds"), r.getLong("max_runtime_seconds"), r.getLong("min_runtime_seconds"),
                deps == null ? List.of() : List.of(deps), r.getString("ping_key"), r.getString("badge_key"), r.getString("source"), r.getBoolean("paused"),
                Rows.instant(r, "created_at"), Rows.instant(r, "last_ping_at"), Rows.instant(r, "last_start_at"),
                Rows.instant(r, "last_finish_at"), r.getString("last_outcome"), r.getInteger("last_exit_code"),
                r.getLong("last_duration_ms"), Rows.instant(r, "open_run_started_at"),
                durations == null ? List.of() : Arrays.asList(durations));
    }

    /** When the next start is due (before its grace): after the last signal, or for a new check after its creation. */
    Instant nextExpectedAt() {
        return CheckSchedule.next(schedule, timezone, periodSeconds, lastPingAt == null ? createdAt : lastPingAt);
    }
}
