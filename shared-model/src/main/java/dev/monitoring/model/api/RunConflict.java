package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/runs} refused because a run is active (409). */
@Schema(name = "RunConflict")
public record RunConflict(String error, String reason, @JsonProperty("batch_run_id") String batchRunId, String hint) {
}
