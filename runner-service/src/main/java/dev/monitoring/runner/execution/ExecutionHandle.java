package dev.monitoring.runner.execution;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The live side of one execution: the process it runs (if any), when it last showed progress, and whether
 * someone (cancel, watchdog) asked it to stop. Shared between the worker thread and the watchdog.
 */
public class ExecutionHandle {
    private final String executionId;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Process process;
    private volatile Instant lastUpdate = Instant.now();
    private volatile StopReason stopReason;

    public ExecutionHandle(String executionId) {
        this.executionId = executionId;
    }

    /** Why an execution was stopped from outside. */
    public record StopReason(String errorType, String message, boolean cancelled) {
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

    void attach(Process p) {
        process = p;
        if (stopReason != null) {
            ProcessTree.kill(p.toHandle());
        }
    }

    void detach() {
        process = null;
    }

    /** Asks the execution to stop: its process tree is killed at once, waits and retries are abandoned. */
    public void stop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        stopped.countDown();
        Process p = process;
        if (p != null) {
            ProcessTree.kill(p.toHandle());
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
