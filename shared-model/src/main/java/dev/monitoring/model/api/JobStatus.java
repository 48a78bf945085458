package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One job over all its targets ({@code /api/jobs}): {@code success|failure|running|never}, and how old its data is. */
@Schema(name = "JobStatus")
public record JobStatus(String name,
                        @Schema(enumeration = {"success", "failure", "running", "never"}) String status,
                        @JsonProperty("last_updated") Instant lastUpdated,
                        @JsonProperty("is_stale") boolean isStale,
                        @JsonProperty("hours_since_update") Double hoursSinceUpdate,
                        @JsonProperty("error_message") String errorMessage) {

    /** A job that failed, is stale, or never succeeded. */
    @JsonIgnore
    public boolean problem() {
        return "failure".equals(status) || isStale || lastUpdated == null;
    }
}
