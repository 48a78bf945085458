package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The live progress of a batch run, as {@code GET /api/runs/current} shows it and as the runner replica running it
 * shares it in Redis for the others; a run whose owner has not shared anything yet has no start and no counts.
 */
@Schema(name = "RunProgress")
public record RunProgress(@Schema(enumeration = {"running"}) String status,
                          @JsonProperty("batch_run_id") String batchRunId,
                          @JsonProperty("started_at") String startedAt,
                          @JsonProperty("elapsed_seconds") Double elapsedSeconds,
                          JobCounts jobs,
                          @JsonProperty("current_job") String currentJob,
                          @JsonProperty("current_portfolio") String currentPortfolio,
                          @JsonProperty("progress_percent") double progressPercent) {

    /** The lock is held but its owner has not shared any progress yet. */
    public static RunProgress startingUp(String runId) {
        return new RunProgress("running", runId, null, null, new JobCounts(0, 0, 0), null, null, 0.0);
    }

    /** With the time elapsed until {@code now}; the owner's last figure when its start cannot be read. */
    public RunProgress elapsedUntil(Instant now) {
        if (startedAt == null) {
            return this;
        }
        try {
            return new RunProgress(status, batchRunId, startedAt, Duration.between(Instant.parse(startedAt), now).toMillis() / 1000.0,
                    jobs, currentJob, currentPortfolio, progressPercent);
        } catch (DateTimeParseException e) {
            return this;
        }
    }
}
