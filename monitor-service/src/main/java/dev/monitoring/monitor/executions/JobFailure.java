package dev.monitoring.monitor.executions;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** A job execution that failed lately ({@code recent_failures} of {@code /api/scheduler-health}). */
public record JobFailure(String symbol, String timeframe, String job, String error,
                         @JsonProperty("failed_at") Instant failedAt) {
}
