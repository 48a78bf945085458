package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** {@code GET /api/jobs/catalog}: the runner's configured jobs. */
@Schema(name = "JobCatalog")
public record CatalogJobs(List<Job> jobs, int count) {

    /** A job: its schedule, limits and targets; {@code command} and {@code env} only with {@code detail=admin}. */
    @Schema(name = "CatalogJob")
    public record Job(String name, @Schema(enumeration = {"command", "demo"}) String kind, String category, String cron,
                      @JsonProperty("next_scheduled_at") String nextScheduledAt,
                      @JsonProperty("next_run_at") String nextRunAt,
                      @JsonProperty("timeout_seconds") double timeoutSeconds,
                      @JsonProperty("max_attempts") int maxAttempts,
                      @JsonProperty("backoff_seconds") double backoffSeconds,
                      @JsonProperty("expected_output") String expectedOutput,
                      @JsonProperty("fresh_seconds") Long freshSeconds,
                      @JsonProperty("stale_seconds") Long staleSeconds,
                      @Schema(nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) List<String> command,
                      @Schema(nullable = true) @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> env,
                      List<Target> targets) {
    }

    /** One target of a job and its state: last attempt and success, failures in a row, when it is next due. */
    @Schema(name = "CatalogTarget")
    public record Target(String symbol, String timeframe,
                         @JsonProperty("last_status") String lastStatus,
                         @JsonProperty("last_attempt_at") String lastAttemptAt,
                         @JsonProperty("last_success_at") String lastSuccessAt,
                         @JsonProperty("consecutive_failures") int consecutiveFailures,
                         @JsonProperty("due_at") String dueAt) {
    }
}
