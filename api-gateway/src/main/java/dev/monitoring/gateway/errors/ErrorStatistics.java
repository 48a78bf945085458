package dev.monitoring.gateway.errors;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** Documentation schema of {@code /api/errors/statistics}. */
@Schema(name = "ErrorStatistics")
public record ErrorStatistics(
        @Schema(example = "last_24_hours") String timeRange,
        Map<String, Long> bySeverity,
        Map<String, Long> byCategory,
        long total) {
}
