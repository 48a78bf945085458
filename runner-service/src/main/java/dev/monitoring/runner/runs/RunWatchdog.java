package dev.monitoring.runner.runs;

import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.execution.ExecutionHandle;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * Catches what hangs: an execution silent for longer than {@code runner.watchdog.no-progress-timeout} has its
 * processes killed, and a run without any progress for that long is failed. {@link RunScheduler} calls it.
 */
@ApplicationScoped
public class RunWatchdog {
    private final RunCoordinator coordinator;
    private final RunnerConfig config;

    public RunWatchdog(RunCoordinator coordinator, RunnerConfig config) {
        this.coordinator = coordinator;
        this.config = config;
    }

    /** One pass: stops executions and runs that showed no progress for the configured time. */
    public void check(Instant now) {
        BatchRun run = coordinator.current().orElse(null);
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
}
