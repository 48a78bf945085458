package dev.monitoring.runner.runs;

import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.runner.events.RunEvents;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * At start-up, a run still "running" in the database lost its runner (crash, kill, restart): it is marked
 * failed instead of staying "running" forever. The run holding the lock, if another replica runs it, is kept.
 */
@ApplicationScoped
public class OrphanedRuns {
    static final String MESSAGE = "orphaned: the runner stopped during the run";

    private final RunRepository repository;
    private final RunLock lock;
    private final RunEvents events;

    public OrphanedRuns(RunRepository repository, RunLock lock, RunEvents events) {
        this.repository = repository;
        this.lock = lock;
        this.events = events;
    }

    void onStart(@Observes StartupEvent start) {
        failOrphans();
    }

    public List<String> failOrphans() {
        String liveRun;
        try {
            liveRun = lock.holder().orElse(null);
        } catch (RuntimeException e) {
            liveRun = null;
            Log.warnf("Redis unreachable at start-up (%s): every running run is treated as orphaned", e.getMessage());
        }
        List<String> orphans = repository.failOrphanedRuns(liveRun, MESSAGE);
        for (String id : orphans) {
            Log.warnf("Run %s was left running by a previous runner: marked failed", id);
            repository.findRun(id).ifPresent(run -> events.run(ExecutionEventType.RUN_FAILED, id, run.startedAt(),
                    new RunEvents.RunTotals(run.total(), run.completed(), run.failed(), run.records(), null, null,
                            run.total() == 0 ? 0 : Math.round(1000.0 * (run.completed() + run.failed()) / run.total()) / 10.0),
                    MESSAGE));
            events.runFailed(id, "OrphanedRun", MESSAGE);
        }
        return orphans;
    }
}
