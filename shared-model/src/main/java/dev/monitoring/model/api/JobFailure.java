package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A job execution that failed lately ({@code recent_failures} of {@code /api/scheduler-health}). */
@Schema(name = "JobFailure")
public record JobFailure(String symbol, String timeframe, String job, String error,
                         @JsonProperty("failed_at") Instant failedAt) {
}
