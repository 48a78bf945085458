package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert as {@code /api/alerts} lists it: the alert, how many reminders it had, and {@code resolved_at} (null while
 * it is open). {@code timestamp} is when it was last notified.
 */
@Schema(name = "StoredAlert")
public record StoredAlert(@JsonProperty("alert_id") String alertId, String rule, String severity, String message, String key,
                          @JsonProperty("first_seen") Instant firstSeen,
                          @JsonProperty("last_seen") Instant lastSeen,
                          long count, boolean reminder, Instant timestamp, int reminders,
                          Map<String, String> labels, boolean silenced,
                          @JsonProperty("silenced_by") List<String> silencedBy,
                          @JsonProperty("resolved_at") Instant resolvedAt) {
}
