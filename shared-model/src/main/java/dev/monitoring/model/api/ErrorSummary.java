package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One row of {@code /api/errors/recent}. */
@Schema(name = "ErrorSummary")
public record ErrorSummary(
        @Schema(example = "8f0c1c9e-5d1a-4a55-9f83-1b7a4a0e2f11") String id,
        @Schema(example = "PatternDetectionError") String type,
        @Schema(example = "Failed to detect pattern") String message,
        @Schema(enumeration = {"debug", "info", "warning", "error", "critical"}) String severity,
        @Schema(enumeration = {"pattern", "indicator", "database", "network", "validation", "performance", "configuration", "unknown"})
        String category,
        @Schema(example = "AAPL", nullable = true) String symbol,
        @Schema(example = "pattern_detector", nullable = true) String component,
        @Schema(example = "2026-11-23T19:30:00Z") Instant timestamp) {
}
