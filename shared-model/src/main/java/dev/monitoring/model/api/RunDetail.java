package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A stored batch run with the result of each of its executions ({@code GET /api/runs/{id}}): the summary's fields, then these. */
@Schema(name = "RunDetail")
public record RunDetail(@JsonUnwrapped RunSummary summary, List<Result> results) {

    /** One execution of a run: a job on one target, its attempts and outcome. */
    @Schema(name = "RunResult")
    public record Result(@JsonProperty("execution_id") String executionId, String job, String symbol, String timeframe,
                         String status, int attempts,
                         @JsonProperty("started_at") String startedAt,
                         @JsonProperty("finished_at") String finishedAt,
                         @JsonProperty("duration_seconds") Double durationSeconds,
                         @JsonProperty("records_processed") Long recordsProcessed,
                         @JsonProperty("exit_code") Integer exitCode,
                         @JsonProperty("error_type") String errorType,
                         @JsonProperty("error_message") String errorMessage) {
    }
}
