package dev.monitoring.runner.runs;

import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.events.RunEvents;
import dev.monitoring.runner.execution.ExecutionHandle;
import dev.monitoring.runner.execution.ExecutionResult;
import dev.monitoring.runner.execution.JobExecutor;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.JobDefinition;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts, tracks, cancels and watches batch runs. A run holds the Redis run lock for its whole life; its
 * executions run on its own pool of worker threads (never on a Vert.x I/O thread). While it runs, its progress is
 * shared next to the lock ({@link SharedRunProgress}) so that every replica can show and cancel it.
 */
@ApplicationScoped
public class RunCoordinator {
    private static final ExecutionHandle.StopReason CANCELLED =
            new ExecutionHandle.StopReason("Cancelled", "cancelled", true);

    private final JobCatalog catalog;
    private final JobExecutor executor;
    private final RunRepository repository;
    private final RunLock lock;
    private final RunEvents events;
    private final SharedRunProgress shared;
    private final RunnerConfig config;
    private final ExecutorService runLoops = Executors.newCachedThreadPool(named("batch-run"));
    private final ScheduledExecutorService lockRenewal = Executors.newSingleThreadScheduledExecutor(named("run-lock"));
    private volatile BatchRun current;

    public RunCoordinator(JobCatalog catalog, JobExecutor executor, RunRepository repository, RunLock lock,
                          RunEvents events, SharedRunProgress shared, RunnerConfig config) {
        this.catalog = catalog;
        this.executor = executor;
        this.repository = repository;
        this.lock = lock;
        this.events = events;
        this.shared = shared;
        this.config = config;
    }

    /** The run in progress on this replica, if any. */
    public Optional<BatchRun> current() {
        BatchRun run = current;
        return run == null || run.isFinished() ? Optional.empty() : Optional.of(run);
    }

    /**
     * @param job   a job name to run all of its targets now, or null for the due jobs (or everything on FULL)
     * @param force stop the active run of this replica first instead of answering with a conflict
     */
    public synchronized StartResult start(Trigger trigger, String job, boolean force) {
        Optional<BatchRun> active = current();
        if (active.isPresent()) {
            if (!force) {
                return new StartResult.Conflict("a batch run is already running", active.get().id());
            }
            Log.infof("Forced start: cancelling run %s first", active.get().id());
            active.get().stop(CANCELLED);
            if (!active.get().awaitFinished(15_000)) {
                return new StartResult.Conflict("the active run did not stop in time", active.get().id());
            }
        }
        String runId = UUID.randomUUID().toString();
        try {
            if (!lock.acquire(runId)) {
                return new StartResult.Conflict("a batch run is active on another runner replica",
                        lock.holder().orElse(null));
            }
        } catch (RuntimeException e) {
            return new StartResult.Unavailable("cannot take the run lock, Redis unreachable: " + e.getMessage());
        }
        BatchRun run = new BatchRun(runId, trigger, job);
        share(run); // before answering 202, so any replica asked right after shows the run
        try {
            repository.insertRun(run);
        } catch (RuntimeException e) {
            lock.release(runId);
            throw e;
        }
        current = run;
        List<JobDefinition> jobs = catalog.jobs();
        runLoops.submit(() -> runLoop(run, jobs));
        return new StartResult.Started(runId);
    }

    /** What a cancel reached: the run and whether it has ended yet. */
    public record Cancelled(String batchRunId, boolean finished) {
    }

    /**
     * Cancels the run in progress wherever it runs: this replica's directly, another replica's through a cancel
     * request it honours within {@code runner.lock.share-every}; waits (a little) for the run to end. Empty when
     * no run is active; throws when Redis cannot be reached to ask.
     */
    public Optional<Cancelled> cancelOnAnyReplica() {
        Optional<BatchRun> local = cancel();
        if (local.isPresent()) {
            return Optional.of(new Cancelled(local.get().id(), local.get().isFinished()));
        }
        Optional<String> remote = shared.activeRunId();
        if (remote.isEmpty()) {
            return Optional.empty();
        }
        String runId = remote.get();
        Log.infof("Cancel of run %s asked here: requesting it from the replica that runs it", runId);
        shared.requestCancel(runId);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!shared.activeRunId().map(runId::equals).orElse(false)) {
                return Optional.of(new Cancelled(runId, true));
            }
            try {
                Thread.sleep(100); // polling the lock: the owner ends the run within share-every
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.of(new Cancelled(runId, false));
    }

    /** Cancels the active run of this replica and waits (a little) for it to end; empty when nothing was running here. */
    public Optional<BatchRun> cancel() {
        Optional<BatchRun> active = current();
        active.ifPresent(run -> {
            run.stop(CANCELLED);
            run.awaitFinished(15_000);
        });
        return active;
    }

    /** Watchdog pass: stops executions and runs that showed no progress for the configured time. */
    public void checkProgress(Instant now) {
        BatchRun run = current().orElse(null);
        if (run == null) {
            return;
        }
        Duration limit = config.watchdog().noProgressTimeout();
        boolean killedOne = false;
        for (ExecutionHandle handle : run.running()) {
            if (!handle.isStopped() && handle.lastUpdate().plus(limit).isBefore(now)) {
                long silent = Duration.between(handle.lastUpdate(), now).toSeconds();
                Log.warnf("Watchdog: execution %s silent for %d s, killing it", handle.executionId(), silent);
                handle.stop(new ExecutionHandle.StopReason("WatchdogTimeout", noUpdate(limit), false));
                killedOne = true;
            }
        }
        if (!killedOne && !run.isStopped() && run.lastProgress().plus(limit).isBefore(now)) {
            Log.warnf("Watchdog: run %s without progress for %s, failing it", run.id(), limit);
            run.stop(new ExecutionHandle.StopReason("WatchdogTimeout", noUpdate(limit), false));
        }
    }

    private static String noUpdate(Duration limit) {
        return "timed out (no update for " + Math.max(1, limit.toSeconds()) + " seconds)";
    }

    private void runLoop(BatchRun run, List<JobDefinition> jobs) {
        ScheduledFuture<?> renewal = lockRenewal.scheduleAtFixedRate(() -> renew(run),
                lock.renewEveryMillis(), lock.renewEveryMillis(), TimeUnit.MILLISECONDS);
        long shareEvery = Math.max(50, config.lock().shareEvery().toMillis());
        ScheduledFuture<?> sharing = lockRenewal.scheduleWithFixedDelay(() -> shareAndHonourCancel(run),
                shareEvery, shareEvery, TimeUnit.MILLISECONDS);
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, config.batch().concurrency()),
                named("run-" + run.id().substring(0, 8)));
        String error = null;
        try {
            Log.infof("Batch run %s started (%s%s)", run.id(), run.trigger(),
                    run.jobFilter() == null ? "" : ", job " + run.jobFilter());
            events.run(ExecutionEventType.RUN_STARTED, run.id(), run.startedAt(), run.totals(), null);
            List<WorkItem> items = select(run, jobs);
            // Discover job by job, so the total grows as the run learns about its work.
            for (int i = 0; i < items.size(); ) {
                String jobName = items.get(i).job().name();
                int from = i;
                while (i < items.size() && items.get(i).job().name().equals(jobName)) {
                    i++;
                }
                run.discovered(i - from);
                for (WorkItem item : items.subList(from, i)) {
                    workers.submit(() -> execute(run, item));
                }
            }
            repository.updateProgress(run);
            workers.shutdown();
            while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
                // the watchdog and cancel act through run.stop(); keep waiting for the workers to wind down
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "runner interrupted";
        } catch (RuntimeException e) {
            Log.errorf(e, "Batch run %s crashed", run.id());
            error = "runner error: " + e.getMessage();
        } finally {
            workers.shutdownNow();
            renewal.cancel(false);
            sharing.cancel(false);
            finish(run, error);
        }
    }

    private List<WorkItem> select(BatchRun run, List<JobDefinition> jobs) {
        boolean chosen = run.jobFilter() != null;
        List<JobDefinition> candidates = chosen
                ? jobs.stream().filter(j -> j.name().equals(run.jobFilter())).toList()
                : jobs;
        List<WorkItem> items = DueJobSelector.select(candidates, repository.loadStates(), Instant.now(),
                config.batch().size(), chosen || run.trigger() == Trigger.FULL);
        // Group by job for discovery, keeping the due order of each job's first item.
        List<String> jobOrder = items.stream().map(w -> w.job().name()).distinct().toList();
        return items.stream()
                .sorted(java.util.Comparator.comparingInt((WorkItem w) -> jobOrder.indexOf(w.job().name())))
                .toList();
    }

    private void execute(BatchRun run, WorkItem item) {
        if (run.isStopped()) {
            return;
        }
        ExecutionHandle handle = new ExecutionHandle(UUID.randomUUID().toString());
        run.started(handle, item.job().name(), item.target().label());
        if (run.isStopped()) {
            handle.stop(run.stopReason());
        }
        try {
            repository.insertExecution(handle.executionId(), run.id(), item.job().name(), item.target(), Instant.now());
            ExecutionResult result = executor.execute(item.job(), item.target(), run.id(), handle,
                    item.state().consecutiveFailures());
            repository.finishExecution(result);
            if (result.status() != ExecutionStatus.CANCELLED) {
                repository.saveState(result, config.batch().failedRetryDelay());
            }
            // One progress event per finished execution, counting exactly it (publishing only enqueues).
            synchronized (run) {
                if (result.status() == ExecutionStatus.CANCELLED) {
                    run.abandoned(handle);
                } else {
                    run.ended(handle, result.succeeded(), result.last().recordsProcessed());
                }
                events.run(ExecutionEventType.RUN_PROGRESS, run.id(), run.startedAt(), run.totals(), null);
            }
            repository.updateProgress(run);
        } catch (RuntimeException e) {
            Log.errorf(e, "Execution of %s in run %s crashed", item.job().name(), run.id());
            run.ended(handle, false, null);
        }
    }

    private void renew(BatchRun run) {
        RunLock.Renewal renewal = lock.renew(run.id());
        if (renewal == RunLock.Renewal.LOST) {
            Log.errorf("Run %s lost its lock to another replica: stopping it", run.id());
            run.stop(new ExecutionHandle.StopReason("RunLockLost", "lost the batch-run lock to another replica", false));
        } else if (renewal == RunLock.Renewal.UNREACHABLE) {
            Log.warnf("Run %s cannot renew its lock: Redis unreachable, carrying on", run.id());
        }
    }

    /** Keeps the shared snapshot fresh and stops the run when another replica asked for its cancel. */
    private void shareAndHonourCancel(BatchRun run) {
        if (run.isFinished()) {
            return;
        }
        try {
            share(run);
            if (!run.isStopped() && shared.cancelRequested(run.id())) {
                Log.infof("Run %s cancelled from another replica", run.id());
                run.stop(CANCELLED);
            }
        } catch (RuntimeException e) {
            Log.debugf("Cannot share the progress of run %s: %s", run.id(), e.getMessage());
        }
    }

    private void share(BatchRun run) {
        try {
            shared.publish(run);
        } catch (RuntimeException e) {
            // the run goes on; other replicas show it without progress figures until Redis answers again
            Log.debugf("Cannot share the progress of run %s: %s", run.id(), e.getMessage());
        }
    }

    private void finish(BatchRun run, String error) {
        ExecutionHandle.StopReason stop = run.stopReason();
        ExecutionStatus status;
        String message;
        if (stop != null && stop.cancelled()) {
            status = ExecutionStatus.CANCELLED;
            message = "cancelled";
        } else if (stop != null || error != null) {
            status = ExecutionStatus.FAILED;
            message = stop != null ? stop.message() : error;
        } else {
            status = ExecutionStatus.COMPLETED;
            message = null;
        }
        try {
            repository.finishRun(run, status, message);
        } catch (RuntimeException e) {
            Log.errorf(e, "Cannot record the end of run %s", run.id());
        }
        ExecutionEventType type = switch (status) {
            case CANCELLED -> ExecutionEventType.RUN_CANCELLED;
            case FAILED -> ExecutionEventType.RUN_FAILED;
            default -> ExecutionEventType.RUN_COMPLETED;
        };
        events.run(type, run.id(), run.startedAt(), run.totals(), message);
        if (status == ExecutionStatus.FAILED) {
            events.runFailed(run.id(), stop != null ? stop.errorType() : "RunnerError", message);
        }
        try {
            shared.clear(run.id());
        } catch (RuntimeException e) {
            // the snapshot expires with the lock and is ignored once the lock is gone
        }
        lock.release(run.id());
        run.markFinished();
        Log.infof("Batch run %s %s: %d completed, %d failed of %d", run.id(), status.wireName(), run.completed(),
                run.failed(), run.total());
    }

    @PreDestroy
    void shutdown() {
        current().ifPresent(run -> run.stop(new ExecutionHandle.StopReason("Shutdown", "runner shut down", false)));
        current().ifPresent(run -> run.awaitFinished(5_000));
        runLoops.shutdownNow();
        lockRenewal.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
