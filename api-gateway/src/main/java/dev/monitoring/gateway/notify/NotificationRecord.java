package dev.monitoring.gateway.notify;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Documentation schema of one row of the delivery ledger ({@code /api/notifications}, {@code delivery} frames). */
@Schema(name = "Notification", description = "One message to one receiver about a group of alerts, with its delivery state")
public record NotificationRecord(
        @Schema(example = "4d1b2f7a-2c43-4f5e-8a77-3d6c0b9e1f20") String notification_id,
        @Schema(example = "ops-webhook") String receiver,
        @Schema(example = "route-0:{rule=job_stale}") String group_key,
        @Schema(enumeration = {"firing", "resolved", "test"}) String kind,
        @Schema(enumeration = {"sent", "retrying", "failed", "silenced"}) String status,
        @Schema(example = "1") int attempts,
        @Schema(nullable = true, example = "HTTP 503 from hooks.example.com") String last_error,
        @Schema(type = SchemaType.ARRAY, implementation = NotifiedAlert.class) List<NotifiedAlert> alerts,
        @Schema(example = "2026-11-30T16:00:10Z") String created_at,
        @Schema(example = "2026-11-30T16:00:11Z") String updated_at) {

    /** An alert as a notification names it. */
    @Schema(name = "NotifiedAlert")
    public record NotifiedAlert(String alert_id, @Schema(example = "job_stale") String rule,
            @Schema(enumeration = {"info", "warning", "error", "critical"}) String severity, String message, String key) {
    }
}
