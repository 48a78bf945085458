package dev.monitoring.runner.jobs;

/** The job file is invalid; the message says where and why. */
public class JobFileException extends RuntimeException {
    public JobFileException(String message) {
        super(message);
    }

    public JobFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
