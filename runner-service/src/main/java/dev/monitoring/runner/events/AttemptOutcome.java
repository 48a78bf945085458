package dev.monitoring.runner.events;

/** The result of one attempt of one execution, as the events tell it. */
public record AttemptOutcome(boolean success, Long recordsProcessed, Integer exitCode, String errorType,
                             String message, String traceback, boolean transientFailure, boolean stopped) {

    public static AttemptOutcome succeeded(Long records, Integer exitCode) {
        return new AttemptOutcome(true, records, exitCode, null, null, null, false, false);
    }

    public static AttemptOutcome failed(String errorType, String message, String traceback, Integer exitCode,
                                        Long records, boolean transientFailure) {
        return new AttemptOutcome(false, records, exitCode, errorType, message, traceback, transientFailure, false);
    }
}
