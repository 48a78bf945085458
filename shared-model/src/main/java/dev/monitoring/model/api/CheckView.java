package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A check as {@code /api/checks} shows it: an expected job, what it expects, its state at the moment of the answer and
 * its latest signals. {@code ping_url} is filled by the gateway, which knows its own public address.
 */
@Schema(name = "Check", description = "A job expected to run on a schedule or every period, signalled by pings or execution events")
public record CheckView(@Schema(example = "nightly-backfill") String name,
                        @Schema(example = "0 6 * * *", nullable = true,
                                description = "cron (5 fields, or Quartz with seconds), in timezone; null when period_seconds is set")
                        String schedule,
                        @Schema(example = "Europe/Berlin") String timezone,
                        @Schema(example = "3600", nullable = true) @JsonProperty("period_seconds") Long periodSeconds,
                        @Schema(example = "600", description = "how long after the expected time a start may come")
                        @JsonProperty("grace_seconds") long graceSeconds,
                        @Schema(example = "1800", nullable = true) @JsonProperty("max_runtime_seconds") Long maxRuntimeSeconds,
                        @Schema(example = "5", nullable = true) @JsonProperty("min_runtime_seconds") Long minRuntimeSeconds,
                        @Schema(description = "checks this one needs; while one is down this one shows blocked")
                        @JsonProperty("depends_on") List<String> dependsOn,
                        @Schema(enumeration = {"new", "up", "late", "running", "down", "paused", "blocked"}) String state,
                        @Schema(example = "no start within 600 s of 2026-12-01T05:00:00Z", nullable = true,
                                description = "why it is late, down or blocked")
                        String reason,
                        boolean paused,
                        @Schema(example = "8kC2yQJc0sVbX1tq9pWm3A", description = "the secret in the ping URL")
                        @JsonProperty("ping_key") String pingKey,
                        @Schema(example = "https://monitor.example.com/ping/8kC2yQJc0sVbX1tq9pWm3A", nullable = true)
                        @JsonProperty("ping_url") String pingUrl,
                        @Schema(example = "Qm4xv0Zc7yKp2LwR5tN8sA", description = "the key of the check's status badge, /badge/{badge_key}.svg")
                        @JsonProperty("badge_key") String badgeKey,
                        @Schema(enumeration = {"api", "file", "runner"}) String source,
                        @JsonProperty("created_at") Instant createdAt,
                        @Schema(nullable = true) @JsonProperty("last_ping_at") Instant lastPingAt,
                        @Schema(nullable = true) @JsonProperty("last_start_at") Instant lastStartAt,
                        @Schema(nullable = true) @JsonProperty("last_finish_at") Instant lastFinishAt,
                        @Schema(enumeration = {"success", "fail"}, nullable = true) @JsonProperty("last_outcome") String lastOutcome,
                        @Schema(nullable = true) @JsonProperty("last_exit_code") Integer lastExitCode,
                        @Schema(nullable = true) @JsonProperty("last_duration_ms") Long lastDurationMs,
                        @Schema(nullable = true, description = "when the next start is due (before its grace)")
                        @JsonProperty("next_expected_at") Instant nextExpectedAt,
                        @Schema(description = "durations of the last (up to 20) finished runs, oldest first, in ms")
                        @JsonProperty("recent_durations_ms") List<Long> recentDurationsMs) {

    /** The same check with the gateway's ping URL. */
    public CheckView withPingUrl(String url) {
        return new CheckView(name, schedule, timezone, periodSeconds, graceSeconds, maxRuntimeSeconds, minRuntimeSeconds, dependsOn,
                state, reason, paused, pingKey, url, badgeKey, source, createdAt, lastPingAt, lastStartAt, lastFinishAt, lastOutcome,
                lastExitCode, lastDurationMs, nextExpectedAt, recentDurationsMs);
    }
}
