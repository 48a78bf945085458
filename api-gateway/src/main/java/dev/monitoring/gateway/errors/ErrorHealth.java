package dev.monitoring.gateway.errors;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Documentation schema of {@code /api/errors/health}: any critical in 5 minutes is red, more than 10 errors yellow. */
@Schema(name = "ErrorHealth")
public record ErrorHealth(
        @Schema(enumeration = {"operational", "degraded", "critical"}) String status,
        @Schema(enumeration = {"green", "yellow", "red"}) String health,
        long criticalErrors,
        long errors,
        @Schema(example = "2026-11-23T19:30:00Z") String checkTime) {
}
