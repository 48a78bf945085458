package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.Target;

import java.time.Instant;
import java.util.List;

/** A batch run as stored, with its executions when read one by one. */
public record RunRecord(String id, String status, String trigger, String jobFilter, Instant startedAt,
                        Instant finishedAt, int total, int completed, int failed, long records, String message,
                        List<ExecutionRecord> executions) {

    public record ExecutionRecord(String id, String job, Target target, String status, int attempts, Instant startedAt,
                                  Instant finishedAt, Long records, Integer exitCode, String errorType,
                                  String errorMessage) {
    }

    RunRecord withExecutions(List<ExecutionRecord> list) {
        return new RunRecord(id, status, trigger, jobFilter, startedAt, finishedAt, total, completed, failed, records,
                message, list);
    }
}
