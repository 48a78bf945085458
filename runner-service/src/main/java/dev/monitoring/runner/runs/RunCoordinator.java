package dev.monitoring.runner.runs;

import dev.monitoring.model.LogText;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.execution.ExecutionHandle;
import dev.monitoring.runner.jobs.CronSchedule;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.JobDefinition;
import dev.monitoring.runner.logging.SafeThrowable;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts and cancels batch runs, one at a time across all replicas: a run holds the Redis run lock for its whole
 * life, and runs on a thread of its own ({@link RunLoop}); {@link RunWatchdog} catches what hangs.
 */
@ApplicationScoped
public class RunCoordinator {
    private final JobCatalog catalog;
    private final RunRepository repository;
    private final RunLock lock;
    private final SharedRunProgress shared;
    private final RunLoop loop;
    private final ExecutorService runLoops = Executors.newCachedThreadPool(RunLoop.named("batch-run"));
    private final RunnerConfig.Schedule schedule;
    private volatile BatchRun current;

    public RunCoordinator(JobCatalog catalog, RunRepository repository, RunLock lock, SharedRunProgress shared, RunLoop loop,
                          RunnerConfig config) {
        this.schedule = config.schedule();
        this.catalog = catalog;
        this.repository = repository;
        this.lock = lock;
        this.shared = shared;
        this.loop = loop;
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
            active.get().stop(BatchRun.CANCELLED);
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
        BatchRun run = new BatchRun(runId, trigger, job, deadline(schedule, Instant.now()));
        loop.share(run); // before answering 202, so any replica asked right after shows the run
        try {
            repository.insertRun(run);
        } catch (RuntimeException e) {
            lock.release(runId);
            throw e;
        }
        current = run;
        List<JobDefinition> jobs = catalog.jobs();
        loop.owe();
        runLoops.submit(() -> {
            try {
                loop.run(run, jobs);
            } catch (Throwable t) {
                Log.errorf(SafeThrowable.of(t), "Run loop of %s crashed", run.id());
                if (!run.isFinished()) {
                    loop.crashed(run, t);
                }
            }
        });
        return new StartResult.Started(runId);
    }

    /** When a run started now should be done: within the configured limit, or before the next scheduled run it would hold back. */
    static Instant deadline(RunnerConfig.Schedule schedule, Instant start) {
        if (schedule.runDeadline().isPresent()) {
            return start.plus(schedule.runDeadline().get());
        }
        return "off".equalsIgnoreCase(schedule.cron()) ? null : CronSchedule.next(schedule.cron(), start).orElse(null);
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
        Log.infof("Cancel of run %s asked here: requesting it from the replica that runs it", LogText.safe(runId));
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
            run.stop(BatchRun.CANCELLED);
            run.awaitFinished(15_000);
        });
        return active;
    }

    /**
     * At SIGTERM (a rolling update, Ctrl-C of start.sh), while the database and Redis still answer: the run in
     * progress stops its executions, records its end and publishes it (its executions failed "runner shut down"), so
     * no job is left shown running. At {@link PreDestroy} time both clients may be closed already, and the run was
     * left "running" for the next start's orphan check, its jobs running in the monitor for good.
     */
    void shutdown(@Observes ShutdownEvent event) {
        current().ifPresent(run -> run.stop(new ExecutionHandle.StopReason("Shutdown", "runner shut down", false)));
        current().ifPresent(run -> run.awaitFinished(5_000));
    }

    @PreDestroy
    void stopLoops() {
        runLoops.shutdownNow();
    }
}
