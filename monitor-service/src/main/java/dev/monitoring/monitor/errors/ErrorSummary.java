package dev.monitoring.monitor.errors;

import java.time.Instant;

/** One row of {@code /api/errors/recent}; field names are the contract. */
public record ErrorSummary(String id, String type, String message, String severity, String category, String symbol,
                           String component, Instant timestamp) {
}
