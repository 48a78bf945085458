package dev.monitoring.runner.runs;

import dev.monitoring.runner.events.RunEvents;
import dev.monitoring.runner.execution.ExecutionHandle;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The live state of the batch run in progress on this replica: counters, current item, running executions. */
public class BatchRun {
    /** Why a cancelled run (and its executions) stopped. */
    static final ExecutionHandle.StopReason CANCELLED = new ExecutionHandle.StopReason("Cancelled", "cancelled", true);

    private final String id;
    private final Trigger trigger;
    private final String jobFilter;
    private final Instant startedAt = Instant.now();
    private final Instant deadline;
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong records = new AtomicLong();
    private final Set<ExecutionHandle> running = ConcurrentHashMap.newKeySet();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile String currentJob;
    private volatile String currentTarget;
    private volatile Instant lastProgress = Instant.now();
    private volatile ExecutionHandle.StopReason stopReason;

    /** @param deadline when the run should be done; null: no deadline */
    BatchRun(String id, Trigger trigger, String jobFilter, Instant deadline) {
        this.id = id;
        this.trigger = trigger;
        this.jobFilter = jobFilter;
        this.deadline = deadline;
    }

    public String id() { return id; }
    public Trigger trigger() { return trigger; }
    public String jobFilter() { return jobFilter; }
    public Instant startedAt() { return startedAt; }
    public Instant deadline() { return deadline; }
    public int total() { return total.get(); }
    public int completed() { return completed.get(); }
    public int failed() { return failed.get(); }
    public long records() { return records.get(); }
    public String currentJob() { return currentJob; }
    public String currentTarget() { return currentTarget; }

    /** Finished items over discovered items; the total grows while jobs are discovered. */
    public double progressPercent() {
        return progressPercent(completed.get() + failed.get(), total.get());
    }

    /** Finished over total items, in percent to one decimal; 0 with no items. */
    static double progressPercent(int finished, int total) {
        return total == 0 ? 0.0 : Math.round(1000.0 * finished / total) / 10.0;
    }

    public RunEvents.RunTotals totals() {
        return new RunEvents.RunTotals(total(), completed(), failed(), records(), currentJob, currentTarget,
                progressPercent(), deadline);
    }

    void discovered(int items) {
        total.addAndGet(items);
        touch();
    }

    void started(ExecutionHandle handle, String job, String target) {
        running.add(handle);
        currentJob = job;
        currentTarget = target;
        touch();
    }

    void ended(ExecutionHandle handle, boolean succeeded, Long recordCount) {
        running.remove(handle);
        (succeeded ? completed : failed).incrementAndGet();
        if (recordCount != null) {
            records.addAndGet(recordCount);
        }
        touch();
    }

    /** Removes an execution that was cancelled: it counts neither as completed nor as failed. */
    void abandoned(ExecutionHandle handle) {
        running.remove(handle);
        touch();
    }

    void touch() {
        lastProgress = Instant.now();
    }

    /** The last sign of life of the run or any of its executions. */
    Instant lastProgress() {
        Instant last = lastProgress;
        for (ExecutionHandle h : running) {
            if (h.lastUpdate().isAfter(last)) {
                last = h.lastUpdate();
            }
        }
        return last;
    }

    Set<ExecutionHandle> running() {
        return running;
    }

    /** Stops the run: running executions are stopped (their processes killed), pending ones never start. */
    void stop(ExecutionHandle.StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        running.forEach(h -> h.stop(reason));
    }

    ExecutionHandle.StopReason stopReason() {
        return stopReason;
    }

    boolean isStopped() {
        return stopReason != null;
    }

    void markFinished() {
        finished.countDown();
    }

    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    boolean awaitFinished(long millis) {
        try {
            return finished.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
