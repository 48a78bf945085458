package dev.monitoring.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * An event on the {@code executions} channel.
 * <ul>
 *   <li>Run-level ({@code run.*}): {@code batch_run_id} required; the totals
 *       ({@code total_jobs}, {@code completed_jobs}, {@code failed_jobs}, {@code records_processed}) and
 *       progress ({@code current_job}, {@code current_target}, {@code progress_percent}) describe the run;
 *       {@code deadline} is when it should be done (its runner's next scheduled run, or a configured limit).</li>
 *   <li>Job-level ({@code job.*}): {@code execution_id} and {@code job} required; {@code symbol} and
 *       {@code timeframe} name the target; {@code fresh_seconds}/{@code stale_seconds} carry the job's
 *       own freshness thresholds for the monitor; {@code will_retry} on a {@code job.failed} says the execution
 *       tries again, so the attempt's failure is not the execution's.</li>
 * </ul>
 * A decoded event always has {@code status} (implied by {@code event} when absent) and {@code timestamp}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionEvent(
        ExecutionEventType event,
        @JsonProperty("execution_id") String executionId,
        @JsonProperty("batch_run_id") String batchRunId,
        String job,
        String symbol,
        String timeframe,
        ExecutionStatus status,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("completed_at") Instant completedAt,
        @JsonProperty("duration_seconds") Double durationSeconds,
        @JsonProperty("records_processed") Long recordsProcessed,
        Integer attempt,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("total_jobs") Integer totalJobs,
        @JsonProperty("completed_jobs") Integer completedJobs,
        @JsonProperty("failed_jobs") Integer failedJobs,
        @JsonProperty("current_job") String currentJob,
        @JsonProperty("current_target") String currentTarget,
        @JsonProperty("progress_percent") Double progressPercent,
        @JsonProperty("fresh_seconds") Long freshSeconds,
        @JsonProperty("stale_seconds") Long staleSeconds,
        Instant deadline,
        @JsonProperty("will_retry") Boolean willRetry,
        Instant timestamp) {

    @JsonIgnore // derived from event; without this Jackson writes a "runLevel" field on the wire
    public boolean isRunLevel() {
        return event.isRunLevel();
    }

    /** A blank job-level event to fill in with the {@code with*} style of a builder. */
    public static Builder job(ExecutionEventType event, String executionId, String job) {
        return new Builder(event).executionId(executionId).job(job);
    }

    public static Builder run(ExecutionEventType event, String batchRunId) {
        return new Builder(event).batchRunId(batchRunId);
    }

    /** Builder: most fields are optional, and a 22-argument constructor call is unreadable. */
    public static final class Builder {
        private final ExecutionEventType event;
        private String executionId, batchRunId, job, symbol, timeframe, errorMessage, currentJob, currentTarget;
        private ExecutionStatus status;
        private Instant startedAt, completedAt, deadline, timestamp;
        private Boolean willRetry;
        private Double durationSeconds, progressPercent;
        private Long recordsProcessed, freshSeconds, staleSeconds;
        private Integer attempt, totalJobs, completedJobs, failedJobs;

        private Builder(ExecutionEventType event) {
            this.event = event;
        }

        public Builder executionId(String v) { executionId = v; return this; }
        public Builder batchRunId(String v) { batchRunId = v; return this; }
        public Builder job(String v) { job = v; return this; }
        public Builder symbol(String v) { symbol = v; return this; }
        public Builder timeframe(String v) { timeframe = v; return this; }
        public Builder status(ExecutionStatus v) { status = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder completedAt(Instant v) { completedAt = v; return this; }
        public Builder durationSeconds(Double v) { durationSeconds = v; return this; }
        public Builder recordsProcessed(Long v) { recordsProcessed = v; return this; }
        public Builder attempt(Integer v) { attempt = v; return this; }
        public Builder errorMessage(String v) { errorMessage = v; return this; }
        public Builder totalJobs(Integer v) { totalJobs = v; return this; }
        public Builder completedJobs(Integer v) { completedJobs = v; return this; }
        public Builder failedJobs(Integer v) { failedJobs = v; return this; }
        public Builder currentJob(String v) { currentJob = v; return this; }
        public Builder currentTarget(String v) { currentTarget = v; return this; }
        public Builder progressPercent(Double v) { progressPercent = v; return this; }
        public Builder freshSeconds(Long v) { freshSeconds = v; return this; }
        public Builder staleSeconds(Long v) { staleSeconds = v; return this; }
        public Builder deadline(Instant v) { deadline = v; return this; }
        public Builder willRetry(Boolean v) { willRetry = v; return this; }
        public Builder timestamp(Instant v) { timestamp = v; return this; }

        public ExecutionEvent build() {
            return new ExecutionEvent(event, executionId, batchRunId, job, symbol, timeframe,
                    status == null ? event.impliedStatus() : status, startedAt, completedAt, durationSeconds,
                    recordsProcessed, attempt, errorMessage, totalJobs, completedJobs, failedJobs, currentJob,
                    currentTarget, progressPercent, freshSeconds, staleSeconds, deadline, willRetry,
                    timestamp == null ? Instant.now() : timestamp);
        }
    }
}
