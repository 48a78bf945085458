package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** {@code /api/errors/health}: any critical in the window is red, more errors than the threshold yellow. */
@Schema(name = "ErrorHealth")
public record ErrorHealth(@Schema(enumeration = {"operational", "degraded", "critical"}) String status,
                          @Schema(enumeration = {"green", "yellow", "red"}) String health,
                          long criticalErrors, long errors,
                          @Schema(example = "2026-11-23T19:30:00Z") Instant checkTime) {
}
