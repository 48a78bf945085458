package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * The delivery status of one notification, as {@code /api/notifications} lists it and as the notifications channel
 * tells live dashboards of each change (there without {@code created_at}).
 */
@Schema(name = "Notification", description = "One message to one receiver about a group of alerts, with its delivery state")
public record DeliveryRecord(@Schema(example = "4d1b2f7a-2c43-4f5e-8a77-3d6c0b9e1f20")
                             @JsonProperty("notification_id") String notificationId,
                             @Schema(example = "ops-webhook") String receiver,
                             @Schema(example = "route 0 {rule=job_stale}") @JsonProperty("group_key") String groupKey,
                             @Schema(enumeration = {"firing", "resolved", "test"}) String kind,
                             @Schema(enumeration = {"sent", "retrying", "failed", "silenced"}) String status,
                             int attempts,
                             @Schema(nullable = true, example = "HTTP 503 from hooks.example.com")
                             @JsonProperty("last_error") String lastError,
                             List<Brief> alerts,
                             @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("created_at") Instant createdAt,
                             @JsonProperty("updated_at") Instant updatedAt) {

    /** What a delivery record keeps of each alert it told of. */
    @Schema(name = "NotifiedAlert")
    public record Brief(@JsonProperty("alert_id") String alertId, @Schema(example = "job_stale") String rule,
                        @Schema(enumeration = {"info", "warning", "error", "critical"}) String severity, String message,
                        String key) {
    }

    /** The message on the notifications channel: {@code {"type":"delivery","notification":{...}}}. */
    public record Message(String type, DeliveryRecord notification) {
        public static Message of(DeliveryRecord r) {
            return new Message("delivery", r);
        }
    }
}
