package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * One group of errors with the same fingerprint ({@code /api/errors/groups}), with its workflow state: what people
 * decided about it (resolved, ignored) and what the monitor noticed since (regressed, reopened).
 */
@Schema(name = "ErrorGroup")
public record ErrorGroup(String fingerprint, String type, String component, String operation, String message,
                         String severity, String category, long count,
                         @JsonProperty("first_seen") Instant firstSeen,
                         @JsonProperty("last_seen") Instant lastSeen,
                         @JsonProperty("last_error_id") String lastErrorId,
                         @Schema(enumeration = {"unresolved", "resolved", "regressed", "ignored"}) String state,
                         @Schema(nullable = true, description = "when the state last changed; null for a group never acted on")
                         @JsonProperty("state_changed_at") Instant stateChangedAt,
                         @Schema(nullable = true, description = "when it was last resolved; errors that occurred after it regress the group")
                         @JsonProperty("resolved_at") Instant resolvedAt,
                         @Schema(nullable = true, example = "1.4.2", description = "the release it was resolved in: then only "
                                 + "errors of a later release (context.metadata.release) regress it")
                         @JsonProperty("resolved_in_release") String resolvedInRelease,
                         @Schema(nullable = true, description = "the newest error time (the producer's timestamp) in the group")
                         @JsonProperty("last_occurred") Instant lastOccurred,
                         @Schema(nullable = true, description = "the condition of an ignore; null unless the state is ignored")
                         Ignore ignore,
                         @Schema(nullable = true, description = "set when an ignore's condition was met and the group came back "
                                 + "by itself; cleared by the next action on it")
                         @JsonProperty("reopened_at") Instant reopenedAt,
                         @Schema(nullable = true, description = "the group this one was merged into: its errors, later ones "
                                 + "included, count there; null for a group not merged")
                         @JsonProperty("merged_into") String mergedInto) {

    /**
     * How long an ignore lasts: until a time, until more than N further errors, until more than N errors in an hour;
     * with none of them, forever. With several, the first met ends it.
     */
    @Schema(name = "ErrorGroupIgnore")
    public record Ignore(@Schema(nullable = true, example = "2026-12-02T00:00:00Z") Instant until,
                         @Schema(nullable = true, example = "100", description = "reopens at the (N+1)th error after the ignore")
                         @JsonProperty("more_than") Long moreThan,
                         @Schema(nullable = true, example = "50", description = "reopens once more than N errors arrived within an hour")
                         @JsonProperty("rate_per_hour") Long ratePerHour) {

        public boolean forever() {
            return until == null && moreThan == null && ratePerHour == null;
        }
    }

    /** The message on the notifications channel when a group changes state: live dashboards update the group. */
    public record Message(String type, String action, ErrorGroup group) {
    }
}
