package dev.monitoring.monitor.errors;

import java.time.Instant;

/** {@code /api/errors/health}: {@code operational|degraded|critical} and its colour, from the recent counts. */
public record ErrorHealth(String status, String health, long criticalErrors, long errors, Instant checkTime) {
}
