package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/runs/current/cancel}: {@code cancelled}, or {@code cancelling} while another replica stops it. */
@Schema(name = "RunCancel")
public record RunCancel(@Schema(enumeration = {"cancelled", "cancelling"}) String status,
                        @JsonProperty("batch_run_id") String batchRunId) {
}
