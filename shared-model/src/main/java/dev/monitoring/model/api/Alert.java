package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert as it goes out on the alerts channel and to notification. Every alert has the fields up to
 * {@code timestamp}; a new alert adds the labels routes match on and whether silences hold it, an ended one its
 * {@code resolved_at}. Fields an alert does not have are left out, as subscribers have always seen them.
 */
@Schema(name = "Alert")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(@JsonProperty("alert_id") String alertId, String rule, String severity, String message, String key,
                    @JsonProperty("first_seen") Instant firstSeen,
                    @JsonProperty("last_seen") Instant lastSeen,
                    long count, boolean reminder, Instant timestamp,
                    Map<String, String> labels, Boolean silenced,
                    @JsonProperty("silenced_by") List<String> silencedBy,
                    @JsonProperty("resolved_at") Instant resolvedAt) {

    public static Alert of(String id, String rule, String severity, String message, String key, Instant firstSeen,
                           Instant lastSeen, long count, boolean reminder, Instant timestamp) {
        return new Alert(id, rule, severity, message, key, firstSeen, lastSeen, count, reminder, timestamp, null, null, null, null);
    }

    /** With what notification needs and the dashboard shows: the labels, and the silences that hold it. */
    public Alert labelled(Map<String, String> labels, List<String> silencedBy) {
        return new Alert(alertId, rule, severity, message, key, firstSeen, lastSeen, count, reminder, timestamp, labels,
                !silencedBy.isEmpty(), silencedBy, resolvedAt);
    }

    /** With labels only (an alert no silence applies to, such as {@code notification_failed}). */
    public Alert labelled(Map<String, String> labels) {
        return new Alert(alertId, rule, severity, message, key, firstSeen, lastSeen, count, reminder, timestamp, labels,
                silenced, silencedBy, resolvedAt);
    }

    /** Ended at {@code at}; null for the alert as it started. */
    public Alert resolvedAt(Instant at) {
        return new Alert(alertId, rule, severity, message, key, firstSeen, lastSeen, count, reminder, timestamp, labels,
                silenced, silencedBy, at);
    }
}
