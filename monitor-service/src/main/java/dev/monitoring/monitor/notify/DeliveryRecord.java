package dev.monitoring.monitor.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * The delivery status of one notification, as {@code /api/notifications} lists it and as the notifications channel
 * tells live dashboards of each change (there without {@code created_at}).
 */
public record DeliveryRecord(@JsonProperty("notification_id") String notificationId, String receiver,
                             @JsonProperty("group_key") String groupKey, String kind, String status, int attempts,
                             @JsonProperty("last_error") String lastError, List<Brief> alerts,
                             @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("created_at") Instant createdAt,
                             @JsonProperty("updated_at") Instant updatedAt) {

    /** What a delivery record keeps of each alert it told of. */
    public record Brief(@JsonProperty("alert_id") String alertId, String rule, String severity, String message, String key) {
    }

    /** The message on the notifications channel: {@code {"type":"delivery","notification":{...}}}. */
    public record Message(String type, DeliveryRecord notification) {
        static Message of(DeliveryRecord r) {
            return new Message("delivery", r);
        }
    }
}
