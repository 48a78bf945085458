package dev.monitoring.monitor.freshness;

import java.time.Instant;

/** One (job, symbol, timeframe) with its status computed at read time, so it is never out of date. */
public record FreshnessRow(String job, String symbol, String timeframe, Instant lastSuccessAt, Instant lastAttemptAt,
                           String lastStatus, String lastErrorMessage, long dataPointCount, Long stalenessSeconds,
                           FreshnessStatus status) {
}
