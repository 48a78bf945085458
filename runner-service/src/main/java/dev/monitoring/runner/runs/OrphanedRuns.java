package dev.monitoring.runner.runs;

import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.LogText;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.events.RunEvents;
import dev.monitoring.runner.logging.SafeThrowable;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.UUID;

/**
 * At start-up, a run still "running" in the database lost its runner (crash, kill, restart): it is marked failed
 * instead of staying "running" forever. A run holding the run lock is live on another replica and is kept. So the
 * check needs Redis: while Redis cannot be reached it touches nothing (failing another replica's live run is worse
 * than showing a dead one as running a while longer) and is tried again every {@code runner.orphans.retry-every}
 * until it could be done.
 */
@ApplicationScoped
public class OrphanedRuns {
    static final String MESSAGE = "orphaned: the runner stopped during the run";

    private final RunRepository repository;
    private final RunLock lock;
    private final RunEvents events;
    private final String retryEvery;
    /** The check has not been done yet. */
    private volatile boolean pending = true;
    private boolean warned;

    public OrphanedRuns(RunRepository repository, RunLock lock, RunEvents events, RunnerConfig config) {
        this.repository = repository;
        this.lock = lock;
        this.events = events;
        this.retryEvery = config.orphans().retryEvery();
    }

    void onStart(@Observes StartupEvent start) {
        failOrphans();
    }

    @Scheduled(identity = "orphaned-runs", every = "${runner.orphans.retry-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        if (!pending) {
            return;
        }
        try {
            failOrphans();
        } catch (RuntimeException e) {
            Log.errorf(SafeThrowable.of(e), "The check for orphaned runs failed; trying again in %s", retryEvery);
        }
    }

    /**
     * Marks the runs that lost their runner failed, with a {@code run.failed} and an error event each. Empty, and
     * left for a later try, when Redis cannot tell which run is live.
     */
    public synchronized List<String> failOrphans() {
        String token = "orphan-check-" + UUID.randomUUID();
        boolean locked;
        String liveRun;
        try {
            // With the lock ours, no run can start between this look and the update below; held, its run is live.
            locked = lock.acquire(token);
            liveRun = locked ? null : lock.holder().orElse(null);
        } catch (RuntimeException e) {
            if (!warned) { // once: every retry would repeat it
                warned = true;
                Log.warnf("Cannot check for orphaned runs, Redis unreachable (%s): no run touched, trying again every %s",
                        LogText.safe(e.getMessage()), retryEvery);
            }
            return List.of();
        }
        if (!locked && liveRun == null) {
            Log.debugf("The run lock went while checking for orphaned runs: trying again in %s", retryEvery);
            return List.of();
        }
        RunRepository.Orphans orphans;
        try {
            orphans = repository.failOrphanedRuns(liveRun, MESSAGE);
        } finally {
            if (locked) {
                lock.release(token);
            }
        }
        pending = false;
        if (warned) {
            Log.infof("Checked for orphaned runs now that Redis answers: %d found", orphans.runs().size());
        }
        // their executions still running (the monitor shows them running): failed, as of the run's last sign of life
        for (RunRepository.OrphanedExecution e : orphans.executions()) {
            events.jobOrphaned(e.id(), e.batchRunId(), e.job(), e.symbol(), e.timeframe(), e.attempts(), e.startedAt(),
                    e.finishedAt(), MESSAGE);
        }
        for (String id : orphans.runs()) {
            Log.warnf("Run %s was left running by a previous runner: marked failed", LogText.safe(id));
            repository.findRun(id).ifPresent(run -> events.run(ExecutionEventType.RUN_FAILED, id, run.startedAt(),
                    new RunEvents.RunTotals(run.total(), run.completed(), run.failed(), run.records(), null, null,
                            BatchRun.progressPercent(run.completed() + run.failed(), run.total()), null),
                    MESSAGE, run.finishedAt()));
            events.runFailed(id, "OrphanedRun", MESSAGE);
        }
        return orphans.runs();
    }
}
