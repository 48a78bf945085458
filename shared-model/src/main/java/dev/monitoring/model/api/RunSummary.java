package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored batch run in the history ({@code GET /api/runs}). */
@Schema(name = "RunSummary")
public record RunSummary(@JsonProperty("batch_run_id") String batchRunId,
                         @Schema(enumeration = {"running", "completed", "failed", "cancelled"}) String status,
                         String trigger,
                         @JsonProperty("job_filter") String jobFilter,
                         @JsonProperty("started_at") String startedAt,
                         @JsonProperty("finished_at") String finishedAt,
                         @JsonProperty("duration_seconds") Double durationSeconds,
                         JobCounts jobs,
                         @JsonProperty("records_processed") long recordsProcessed,
                         String message) {
}
