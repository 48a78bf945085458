package dev.monitoring.monitor.executions;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** {@code /api/scheduler-health}: {@code degraded} when the last run failed, a target is stale or a job failed lately. */
public record SchedulerHealth(String status, Instant timestamp,
                              @JsonProperty("last_execution") RunExecution lastExecution,
                              @JsonProperty("stale_features_count") long staleFeaturesCount,
                              @JsonProperty("recent_failures") List<JobFailure> recentFailures,
                              @JsonProperty("total_symbols_monitored") long totalSymbolsMonitored) {
}
