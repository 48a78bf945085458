package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A silence as {@code /api/silences} shows it and the notifications channel tells of it: what it matches, its time,
 * and at the moment of the answer its {@code state} and whether it silences now.
 */
@Schema(name = "Silence", description = "Alerts matching every matcher are not delivered while the silence is active")
public record SilenceView(@Schema(example = "0b6f3c2e-8a51-4d0e-9c55-0f3f1d1e7a10") String id,
                          List<Matcher> matchers,
                          @Schema(example = "2026-11-30T16:00:00Z") @JsonProperty("starts_at") Instant startsAt,
                          @Schema(example = "2026-11-30T18:00:00Z", nullable = true, description = "null for a recurring window without end")
                          @JsonProperty("ends_at") Instant endsAt,
                          @Schema(example = "database migration") String comment,
                          @Schema(example = "admin", description = "the gateway user who created it")
                          @JsonProperty("created_by") String createdBy,
                          @Schema(description = "expires by itself once no alert it silences still fires")
                          @JsonProperty("end_on_resolve") boolean endOnResolve,
                          @Schema(example = "0 0 2 * * ?", nullable = true, description = "Quartz cron of a recurring maintenance window")
                          String cron,
                          @Schema(example = "PT2H", nullable = true, description = "length of each window of a recurring silence")
                          String duration,
                          @Schema(enumeration = {"active", "pending", "expired"}) String state,
                          @Schema(description = "whether it silences now (inside one of its windows)")
                          @JsonProperty("active_now") boolean activeNow,
                          @Schema(example = "2026-11-30T15:58:00Z") @JsonProperty("created_at") Instant createdAt,
                          @Schema(nullable = true) @JsonProperty("expired_at") Instant expiredAt) {

    /** One matcher: equality, or a regular expression matched against the whole label value. */
    @Schema(name = "SilenceMatcher")
    public record Matcher(@Schema(enumeration = {"rule", "severity", "category", "job", "symbol"}, example = "rule") String label,
                          @Schema(example = "job_stale") String value,
                          @Schema(description = "value is a regular expression matched against the whole label value",
                                  defaultValue = "false") boolean regex) {
    }

    /** The message on the notifications channel when a silence is made or expired. */
    public record Message(String type, String action, SilenceView silence) {
    }
}
