package dev.monitoring.runner.runs;

import dev.monitoring.runner.config.RunnerConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** The clocks of the runner: the batch cron, the daily full run and the watchdog. */
@ApplicationScoped
public class RunScheduler {
    private final RunCoordinator coordinator;
    private final RunnerConfig config;

    public RunScheduler(RunCoordinator coordinator, RunnerConfig config) {
        this.coordinator = coordinator;
        this.config = config;
    }

    @Scheduled(identity = "batch-run", cron = "${runner.schedule.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        start(Trigger.SCHEDULED);
    }

    @Scheduled(identity = "full-run", cron = "${runner.schedule.full-run-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fullRun() {
        if (config.schedule().fullRunEnabled()) {
            start(Trigger.FULL);
        }
    }

    @Scheduled(identity = "watchdog", every = "${runner.watchdog.check-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watchdog() {
        coordinator.checkProgress(Instant.now());
    }

    private void start(Trigger trigger) {
        StartResult result = coordinator.start(trigger, null, false);
        if (result instanceof StartResult.Conflict c) {
            Log.debugf("Skipping the %s run: %s", trigger, c.reason());
        } else if (result instanceof StartResult.Unavailable u) {
            Log.warnf("Skipping the %s run: %s", trigger, u.reason());
        }
    }
}
