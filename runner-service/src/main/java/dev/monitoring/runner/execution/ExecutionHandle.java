package dev.monitoring.runner.execution;

import dev.monitoring.runner.events.AttemptOutcome;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The live side of one execution: the processes it runs (if any), when it last showed progress, and whether
 * someone (cancel, watchdog) asked it to stop. Shared between the worker thread and the watchdog.
 */
public class ExecutionHandle {
    private final String executionId;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile JobProcesses processes;
    private volatile Instant lastUpdate = Instant.now();
    private volatile StopReason stopReason;

    public ExecutionHandle(String executionId) {
        this.executionId = executionId;
    }

    /** Why an execution was stopped from outside. */
    public record StopReason(String errorType, String message, boolean cancelled) {
        /** What an attempt stopped for this reason reports. */
        AttemptOutcome outcome(Integer exitCode, String traceback, Long records) {
            return new AttemptOutcome(false, records, exitCode, errorType, message, traceback, false, true);
        }
    }

    public String executionId() {
        return executionId;
    }

    public void touch() {
        lastUpdate = Instant.now();
    }

    public Instant lastUpdate() {
        return lastUpdate;
    }

    void attach(JobProcesses p) {
        processes = p;
        if (stopReason != null) {
            p.kill();
        }
    }

    void detach() {
        processes = null;
    }

    /** Asks the execution to stop: all of its processes are killed at once, waits and retries are abandoned. */
    public void stop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        stopped.countDown();
        JobProcesses p = processes;
        if (p != null) {
            p.kill();
        }
    }

    public StopReason stopReason() {
        return stopReason;
    }

    public boolean isStopped() {
        return stopReason != null;
    }

    /** Sleeps up to {@code millis}; returns early (true) when the execution is stopped. */
    boolean sleepUnlessStopped(long millis) {
        try {
            return stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
