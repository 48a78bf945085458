package dev.monitoring.gateway.notify;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Documentation schema of a silence as the monitor answers it and as {@code silence} frames carry it. */
@Schema(name = "Silence", description = "Alerts matching every matcher are not delivered while the silence is active")
public record Silence(
        @Schema(example = "0b6f3c2e-8a51-4d0e-9c55-0f3f1d1e7a10") String id,
        @Schema(type = SchemaType.ARRAY, implementation = SilenceMatcher.class) List<SilenceMatcher> matchers,
        @Schema(example = "2026-11-30T16:00:00Z") String starts_at,
        @Schema(example = "2026-11-30T18:00:00Z", nullable = true, description = "null for a recurring window without end")
        String ends_at,
        @Schema(example = "database migration") String comment,
        @Schema(example = "admin", description = "the gateway user who created it") String created_by,
        @Schema(description = "expires by itself once no alert it silences still fires") boolean end_on_resolve,
        @Schema(example = "0 0 2 * * ?", nullable = true, description = "Quartz cron of a recurring maintenance window")
        String cron,
        @Schema(example = "PT2H", nullable = true, description = "length of each window of a recurring silence")
        String duration,
        @Schema(enumeration = {"active", "pending", "expired"}) String state,
        @Schema(example = "2026-11-30T15:58:00Z") String created_at,
        @Schema(nullable = true) String expired_at) {
}
