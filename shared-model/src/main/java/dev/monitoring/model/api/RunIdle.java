package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /api/runs/current} when no runner replica runs a batch. */
@Schema(name = "RunIdle")
public record RunIdle(@Schema(enumeration = {"idle"}) String status, @Schema(example = "No batch running") String message) {
    public static final RunIdle NOW = new RunIdle("idle", "No batch running");
}
