package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * {@code /api/scheduler-health}: {@code degraded} when the last run failed, a target is stale, a job failed lately or a
 * check is late or down.
 */
@Schema(name = "SchedulerHealth")
public record SchedulerHealth(@Schema(enumeration = {"healthy", "degraded"}) String status, Instant timestamp,
                              @JsonProperty("last_execution") RunExecution lastExecution,
                              @JsonProperty("stale_features_count") long staleFeaturesCount,
                              @JsonProperty("recent_failures") List<JobFailure> recentFailures,
                              @JsonProperty("total_symbols_monitored") long totalSymbolsMonitored,
                              @Schema(description = "the checks at a glance; any late or down makes the status degraded")
                              CheckSummary checks) {
}
