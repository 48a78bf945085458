package dev.monitoring.runner.runs;

import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.events.RunEvents;
import dev.monitoring.runner.execution.ExecutionHandle;
import dev.monitoring.runner.execution.ExecutionResult;
import dev.monitoring.runner.execution.JobExecutor;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.logging.SafeThrowable;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One batch run from start to end: its executions on a pool of worker threads of its own (never on a Vert.x I/O
 * thread), its lock renewed and its progress shared next to the lock while it runs ({@link SharedRunProgress}, so
 * that every replica can show and cancel it), its end recorded and announced.
 *
 * <p>Liveness ({@value #RUN_LOOP}): the thread running a run beats after each of its steps, each a bounded call to
 * PostgreSQL or Redis, and once a second while it waits for the executions. How long one execution takes is not
 * liveness' business (the watchdog bounds it with {@code runner.watchdog.no-progress-timeout}), so a live run with a
 * slow job stays healthy; what goes stalled is a run stuck inside a call, or a stopped run (cancel, watchdog, lost
 * lock) whose executions no longer wind down. With no run in progress the loop is idle, never stalled.
 */
@ApplicationScoped
public class RunLoop {
    /** The run loop's name in {@code /q/health/live}. */
    public static final String RUN_LOOP = "run-loop";

    private final JobExecutor executor;
    private final RunRepository repository;
    private final RunLock lock;
    private final RunEvents events;
    private final SharedRunProgress shared;
    private final RunnerConfig config;
    private final ScheduledExecutorService lockRenewal = Executors.newSingleThreadScheduledExecutor(named("run-lock"));
    private final Heartbeat loopBeat;

    public RunLoop(JobExecutor executor, RunRepository repository, RunLock lock, RunEvents events, SharedRunProgress shared,
                   RunnerConfig config, Heartbeats heartbeats) {
        this.executor = executor;
        this.repository = repository;
        this.lock = lock;
        this.events = events;
        this.shared = shared;
        this.config = config;
        this.loopBeat = heartbeats.register(RUN_LOOP);
        loopBeat.idle();
    }

    /** A run was just started: from now on the run loop owes progress. */
    void owe() {
        loopBeat.beat();
    }

    /** The run's loop crashed before the run ended: it stays current, so no other run can start until a restart. */
    void crashed(BatchRun run, Throwable t) {
        loopBeat.died("run " + run.id() + " could not finish: " + LogText.safe(t.toString()));
    }

    /** Runs {@code run} to its end on the calling thread: selects its work, executes it, records and announces the end. */
    void run(BatchRun run, List<JobDefinition> jobs) {
        ScheduledFuture<?> renewal = lockRenewal.scheduleAtFixedRate(() -> renew(run),
                lock.renewEveryMillis(), lock.renewEveryMillis(), TimeUnit.MILLISECONDS);
        long shareEvery = Math.max(50, config.lock().shareEvery().toMillis());
        ScheduledFuture<?> sharing = lockRenewal.scheduleWithFixedDelay(() -> shareAndHonourCancel(run),
                shareEvery, shareEvery, TimeUnit.MILLISECONDS);
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, config.batch().concurrency()),
                named("run-" + run.id().substring(0, 8)));
        String error = null;
        try {
            loopBeat.beat();
            Log.infof("Batch run %s started (%s%s)", run.id(), run.trigger(),
                    run.jobFilter() == null ? "" : ", job " + LogText.safe(run.jobFilter()));
            events.run(ExecutionEventType.RUN_STARTED, run.id(), run.startedAt(), run.totals(), null);
            List<WorkItem> items = select(run, jobs);
            loopBeat.beat();
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
            loopBeat.beat();
            workers.shutdown();
            awaitWorkers(run, workers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "runner interrupted";
        } catch (RuntimeException | Error e) {
            // An Error too: a run whose loop crashed must not end "completed".
            Log.errorf(SafeThrowable.of(e), "Batch run %s crashed", run.id());
            error = "runner error: " + e.getMessage();
        } finally {
            workers.shutdownNow();
            renewal.cancel(false);
            sharing.cancel(false);
            loopBeat.beat();
            finish(run, error);
        }
    }

    /**
     * Waits for the executions to end, beating once a turn. The watchdog and cancel act through {@code run.stop()};
     * after that, the executions must wind down (processes killed, pending ones skipped, a few bounded statements),
     * so a stopped run beats only while something still moves.
     */
    private void awaitWorkers(BatchRun run, ExecutorService workers) throws InterruptedException {
        Instant seen = run.lastProgress();
        while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
            Instant last = run.lastProgress();
            if (!run.isStopped() || last.isAfter(seen)) {
                loopBeat.beat();
            }
            seen = last;
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
            Log.errorf(SafeThrowable.of(e), "Execution of %s in run %s crashed", LogText.safe(item.job().name()), run.id());
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
                run.stop(BatchRun.CANCELLED);
            }
        } catch (RuntimeException e) {
            Log.debugf("Cannot share the progress of run %s: %s", run.id(), LogText.safe(e.getMessage()));
        }
    }

    void share(BatchRun run) {
        try {
            shared.publish(run);
        } catch (RuntimeException e) {
            // the run goes on; other replicas show it without progress figures until Redis answers again
            Log.debugf("Cannot share the progress of run %s: %s", run.id(), LogText.safe(e.getMessage()));
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
            Log.errorf(SafeThrowable.of(e), "Cannot record the end of run %s", run.id());
        }
        loopBeat.beat();
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
        loopBeat.beat();
        lock.release(run.id());
        loopBeat.idle(); // before the run counts as finished, so it can never hide the next run's beat
        run.markFinished();
        Log.infof("Batch run %s %s: %d completed, %d failed of %d", run.id(), status.wireName(), run.completed(),
                run.failed(), run.total());
    }

    @PreDestroy
    void shutdown() {
        lockRenewal.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
