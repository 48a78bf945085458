package dev.monitoring.runner.execution;

import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.model.LogText;
import dev.monitoring.model.Severity;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.events.AttemptOutcome;
import dev.monitoring.runner.events.RunEvents;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.logging.SafeThrowable;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Executes a job on one target: attempt, and on a transient failure wait (exponential backoff) and try again
 * up to the job's max attempts. Publishes {@code job.*} events and an error event for every failed attempt.
 * Blocking: runs on the run's worker threads.
 */
@ApplicationScoped
public class JobExecutor {
    private final CommandAttempt commandAttempt;
    private final DemoAttempt demoAttempt;
    private final RunEvents events;
    private final int criticalAfter;

    public JobExecutor(CommandAttempt commandAttempt, DemoAttempt demoAttempt, RunEvents events, RunnerConfig config) {
        this.commandAttempt = commandAttempt;
        this.demoAttempt = demoAttempt;
        this.events = events;
        this.criticalAfter = config.failures().criticalAfterConsecutiveFailures();
    }

    /**
     * @param previousFailedRuns how many runs in a row this job and target ended failed before this one
     */
    public ExecutionResult execute(JobDefinition job, Target target, String batchRunId, ExecutionHandle handle,
                                   int previousFailedRuns) {
        Instant startedAt = Instant.now();
        String executionId = handle.executionId();
        AttemptOutcome outcome = null;
        int attempt = 0;
        while (attempt < job.maxAttempts()) {
            attempt++;
            Instant attemptStart = Instant.now();
            handle.touch();
            events.jobStarted(executionId, batchRunId, job, target, attempt, attemptStart);
            outcome = attempt(job, target, attempt, handle);
            handle.touch();
            boolean retry = !outcome.success() && outcome.transientFailure() && !outcome.stopped() && attempt < job.maxAttempts();
            events.jobFinished(executionId, batchRunId, job, target, attempt, attemptStart, outcome, retry);
            if (outcome.success()) {
                break;
            }
            Severity severity = !retry && previousFailedRuns + 1 >= criticalAfter ? Severity.CRITICAL : Severity.ERROR;
            events.attemptFailed(executionId, batchRunId, job, target, attempt, outcome, severity);
            // The message quotes the job's stderr: untrusted text, one log line.
            Log.infof("%s %s attempt %d/%d failed (%s%s): %s", LogText.safe(job.name()),
                    target.label() == null ? "" : LogText.safe(target.label()), attempt, job.maxAttempts(),
                    LogText.safe(outcome.errorType()), outcome.transientFailure() ? ", transient" : "",
                    LogText.safe(outcome.message()));
            if (!retry) {
                break;
            }
            if (handle.sleepUnlessStopped(job.backoffBefore(attempt + 1).toMillis())) {
                // stopped before the retry it announced: the execution ends with this attempt after all
                events.jobFinished(executionId, batchRunId, job, target, attempt, attemptStart, outcome, false);
                break;
            }
        }
        ExecutionStatus status = outcome.success() ? ExecutionStatus.COMPLETED
                : handle.isStopped() && handle.stopReason().cancelled() ? ExecutionStatus.CANCELLED
                : ExecutionStatus.FAILED;
        return new ExecutionResult(executionId, job, target, status, attempt, startedAt, Instant.now(), outcome);
    }

    private AttemptOutcome attempt(JobDefinition job, Target target, int attempt, ExecutionHandle handle) {
        if (handle.isStopped()) {
            return handle.stopReason().outcome(null, null, null);
        }
        try {
            return job.command() != null
                    ? commandAttempt.run(job, target, attempt, handle)
                    : demoAttempt.run(job, target, attempt, handle);
        } catch (RuntimeException e) {
            Log.errorf(SafeThrowable.of(e), "Attempt %d of %s crashed in the runner", attempt, LogText.safe(job.name()));
            return AttemptOutcome.failed(e.getClass().getSimpleName(), "runner error: " + e.getMessage(), null, null,
                    null, false);
        }
    }
}
