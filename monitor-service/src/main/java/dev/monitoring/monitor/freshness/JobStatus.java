package dev.monitoring.monitor.freshness;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** One job over all its targets ({@code /api/jobs}): {@code success|failure|running|never}, and how old its data is. */
public record JobStatus(String name, String status,
                        @JsonProperty("last_updated") Instant lastUpdated,
                        @JsonProperty("is_stale") boolean isStale,
                        @JsonProperty("hours_since_update") Double hoursSinceUpdate,
                        @JsonProperty("error_message") String errorMessage) {

    /** A job that failed, is stale, or never succeeded. */
    boolean problem() {
        return "failure".equals(status) || isStale || lastUpdated == null;
    }
}
