package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/runs} accepted (202): where to follow it. */
@Schema(name = "RunStarted")
public record RunStarted(@Schema(enumeration = {"started"}) String status, @JsonProperty("batch_run_id") String batchRunId,
                         @Schema(example = "/api/runs/current") @JsonProperty("poll_url") String pollUrl) {
}
