package dev.monitoring.monitor.errors;

import java.util.Map;

/** {@code /api/errors/statistics}: everything received in the range, by severity and by category (every value listed). */
public record ErrorStatistics(String timeRange, Map<String, Long> bySeverity, Map<String, Long> byCategory, long total) {
}
