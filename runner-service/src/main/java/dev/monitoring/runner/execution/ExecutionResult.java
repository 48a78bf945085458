package dev.monitoring.runner.execution;

import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.runner.events.AttemptOutcome;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.jobs.Target;

import java.time.Instant;

/** How one execution (a job on one target, all its attempts) ended; {@code last} is its last attempt. */
public record ExecutionResult(String executionId, JobDefinition job, Target target, ExecutionStatus status,
                              int attempts, Instant startedAt, Instant finishedAt, AttemptOutcome last) {

    public boolean succeeded() {
        return status == ExecutionStatus.COMPLETED;
    }
}
