package dev.monitoring.runner.events;

import dev.monitoring.model.ErrorContext;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.Severity;
import dev.monitoring.model.publish.EventPublisher;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Turns what the runner does into the events of the contract: {@code run.*}/{@code job.*} and error events. */
@ApplicationScoped
public class RunEvents {
    public static final String COMPONENT = "runner";

    private final EventPublisher publisher;

    public RunEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Snapshot of a run's counters for a {@code run.*} event. */
    public record RunTotals(int total, int completed, int failed, long records, String currentJob,
                            String currentTarget, double progressPercent, Instant deadline) {
    }

    public void run(ExecutionEventType type, String batchRunId, Instant startedAt, RunTotals totals, String errorMessage) {
        run(type, batchRunId, startedAt, totals, errorMessage, null);
    }

    /** As above, for a run that ended before this event: {@code endedAt} is its completed_at (null: now). */
    public void run(ExecutionEventType type, String batchRunId, Instant startedAt, RunTotals totals, String errorMessage,
                    Instant endedAt) {
        Instant now = Instant.now();
        Instant ended = endedAt != null ? endedAt : now;
        ExecutionEvent.Builder event = ExecutionEvent.run(type, batchRunId)
                .startedAt(startedAt)
                .totalJobs(totals.total()).completedJobs(totals.completed()).failedJobs(totals.failed())
                .recordsProcessed(totals.records())
                .currentJob(totals.currentJob()).currentTarget(totals.currentTarget())
                .progressPercent(totals.progressPercent())
                .deadline(type.impliedStatus().finished() ? null : totals.deadline())
                .errorMessage(errorMessage)
                .timestamp(now);
        if (type.impliedStatus().finished()) {
            event.completedAt(ended).durationSeconds(seconds(startedAt, ended));
        }
        publisher.publish(event.build());
    }

    public void jobStarted(String executionId, String batchRunId, JobDefinition job, Target target, int attempt,
                           Instant startedAt) {
        publisher.publish(jobEvent(ExecutionEventType.JOB_STARTED, executionId, batchRunId, job, target, attempt)
                .startedAt(startedAt).timestamp(startedAt).build());
    }

    /** @param willRetry a failed attempt after which the execution tries again: its failure is not the execution's */
    public void jobFinished(String executionId, String batchRunId, JobDefinition job, Target target, int attempt,
                            Instant startedAt, AttemptOutcome outcome, boolean willRetry) {
        Instant now = Instant.now();
        ExecutionEventType type = outcome.success() ? ExecutionEventType.JOB_SUCCEEDED : ExecutionEventType.JOB_FAILED;
        publisher.publish(jobEvent(type, executionId, batchRunId, job, target, attempt)
                .startedAt(startedAt).completedAt(now).durationSeconds(seconds(startedAt, now))
                .recordsProcessed(outcome.recordsProcessed())
                .errorMessage(outcome.success() ? null : outcome.message())
                .willRetry(willRetry ? Boolean.TRUE : null)
                .timestamp(now).build());
    }

    /**
     * The end of an execution its runner left running (it stopped mid-run), found by the next runner: failed, as of
     * {@code finishedAt}. Only what the database kept is known: no job definition, no thresholds.
     */
    public void jobOrphaned(String executionId, String batchRunId, String job, String symbol, String timeframe,
                            int attempt, Instant startedAt, Instant finishedAt, String message) {
        publisher.publish(ExecutionEvent.job(ExecutionEventType.JOB_FAILED, executionId, job)
                .batchRunId(batchRunId)
                .symbol(symbol == null || symbol.isEmpty() ? null : symbol)
                .timeframe(timeframe == null || timeframe.isEmpty() ? null : timeframe)
                .attempt(attempt > 0 ? attempt : null)
                .startedAt(startedAt).completedAt(finishedAt).durationSeconds(seconds(startedAt, finishedAt))
                .errorMessage(message)
                .timestamp(finishedAt).build());
    }

    /** The error event of one failed attempt. */
    public void attemptFailed(String executionId, String batchRunId, JobDefinition job, Target target, int attempt,
                              AttemptOutcome outcome, Severity severity) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("execution_id", executionId);
        metadata.put("batch_run_id", batchRunId);
        metadata.put("attempt", attempt);
        metadata.put("max_attempts", job.maxAttempts());
        metadata.put("transient", outcome.transientFailure());
        if (outcome.exitCode() != null) {
            metadata.put("exit_code", outcome.exitCode());
        }
        Instant now = Instant.now();
        publisher.publish(new ErrorEvent(UUID.randomUUID().toString(), outcome.errorType(), outcome.message(),
                outcome.traceback(), severity, job.category(),
                new ErrorContext(COMPONENT, job.name(), target.symbol(), target.timeframe(), metadata, now), now));
    }

    /** An error event about the run itself (watchdog, lost lock, orphaned at start-up). */
    public void runFailed(String batchRunId, String errorType, String message) {
        Instant now = Instant.now();
        publisher.publish(new ErrorEvent(UUID.randomUUID().toString(), errorType, message, null, Severity.ERROR,
                dev.monitoring.model.Category.UNKNOWN,
                new ErrorContext(COMPONENT, "batch-run", null, null, Map.of("batch_run_id", batchRunId), now), now));
    }

    private static ExecutionEvent.Builder jobEvent(ExecutionEventType type, String executionId, String batchRunId,
                                                   JobDefinition job, Target target, int attempt) {
        return ExecutionEvent.job(type, executionId, job.name())
                .batchRunId(batchRunId)
                .symbol(target.symbol()).timeframe(target.timeframe())
                .attempt(attempt)
                .freshSeconds(job.freshSeconds()).staleSeconds(job.staleSeconds());
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
