package dev.monitoring.model.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** {@code /api/errors/statistics}: everything received in the range, by severity and by category (every value listed). */
@Schema(name = "ErrorStatistics")
public record ErrorStatistics(@Schema(example = "last_24_hours") String timeRange, Map<String, Long> bySeverity,
                              Map<String, Long> byCategory, long total) {
}
