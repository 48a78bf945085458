package dev.monitoring.monitor.silences;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.monitoring.monitor.labels.LabelMatcher;

import java.time.Instant;
import java.util.List;

/**
 * A silence as {@code /api/silences} shows it and the notifications channel tells of it: what it matches, its time,
 * and at the moment of the answer its {@code state} ({@code active|pending|expired}) and whether it silences now.
 */
public record SilenceView(String id, List<Matcher> matchers,
                          @JsonProperty("starts_at") Instant startsAt,
                          @JsonProperty("ends_at") Instant endsAt,
                          String comment,
                          @JsonProperty("created_by") String createdBy,
                          @JsonProperty("end_on_resolve") boolean endOnResolve,
                          String cron, String duration, String state,
                          @JsonProperty("active_now") boolean activeNow,
                          @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("expired_at") Instant expiredAt) {

    public record Matcher(String label, String value, boolean regex) {
        static Matcher of(LabelMatcher m) {
            return new Matcher(m.label(), m.value(), m.regex());
        }
    }

    /** The message on the notifications channel when a silence is made or expired. */
    public record Message(String type, String action, SilenceView silence) {
    }
}
