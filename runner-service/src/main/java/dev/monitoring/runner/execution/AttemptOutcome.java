package dev.monitoring.runner.execution;

/** The result of one attempt of one execution. */
public record AttemptOutcome(boolean success, Long recordsProcessed, Integer exitCode, String errorType,
                             String message, String traceback, boolean transientFailure, boolean stopped) {

    public static AttemptOutcome succeeded(Long records, Integer exitCode) {
        return new AttemptOutcome(true, records, exitCode, null, null, null, false, false);
    }

    public static AttemptOutcome failed(String errorType, String message, String traceback, Integer exitCode,
                                        Long records, boolean transientFailure) {
        return new AttemptOutcome(false, records, exitCode, errorType, message, traceback, transientFailure, false);
    }

    static AttemptOutcome stopped(ExecutionHandle.StopReason reason, Integer exitCode, String traceback, Long records) {
        return new AttemptOutcome(false, records, exitCode, reason.errorType(), reason.message(), traceback, false, true);
    }
}
