package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One batch run as the monitor recorded it from the execution events ({@code /api/executions}). */
@Schema(name = "RunExecution")
public record RunExecution(@JsonProperty("execution_id") String executionId,
                           @JsonProperty("started_at") Instant startedAt,
                           @JsonProperty("completed_at") Instant completedAt,
                           @JsonProperty("duration_seconds") Double durationSeconds,
                           @JsonProperty("total_symbols") Integer totalSymbols,
                           @JsonProperty("successful_symbols") Integer successfulSymbols,
                           @JsonProperty("failed_symbols") Integer failedSymbols,
                           @JsonProperty("total_records_processed") Long totalRecordsProcessed,
                           String status,
                           @JsonProperty("error_message") String errorMessage,
                           @JsonProperty("success_rate") Double successRate) {
}
