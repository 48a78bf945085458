package dev.monitoring.runner.runs;

import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.runner.config.RunnerConfig;
import dev.monitoring.runner.logging.SafeThrowable;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * The clocks of the runner: the batch cron, the daily full run and the watchdog. The watchdog reports each completed
 * check to liveness ({@value #WATCHDOG}): it is what stops stuck runs, so a watchdog that stops ticking, or hangs in a
 * check (a hung check also holds back the next ones), is itself a stalled worker. Created at start-up so that liveness
 * watches the watchdog from the first tick it owes.
 */
@Startup
@ApplicationScoped
public class RunScheduler {
    /** The watchdog's name in {@code /q/health/live}. */
    public static final String WATCHDOG = "watchdog";

    private final RunCoordinator coordinator;
    private final RunWatchdog watchdog;
    private final RunnerConfig config;
    private final Heartbeat watchdogBeat;
    private final Duration checkEvery;

    public RunScheduler(RunCoordinator coordinator, RunWatchdog watchdog, RunnerConfig config, Heartbeats heartbeats) {
        this.coordinator = coordinator;
        this.watchdog = watchdog;
        this.config = config;
        this.checkEvery = every(config.watchdog().checkEvery());
        this.watchdogBeat = heartbeats.register(WATCHDOG);
        if (checkEvery == null) {
            watchdogBeat.idle(); // the watchdog is switched off: no tick is ever owed
        } else {
            watchdogBeat.beat(checkEvery);
        }
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

    @Scheduled(identity = WATCHDOG, every = "${runner.watchdog.check-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watchdog() {
        try {
            watchdog.check(Instant.now());
            if (checkEvery != null) {
                watchdogBeat.beat(checkEvery); // a completed check; the next one is owed after check-every
            }
        } catch (RuntimeException e) {
            // No beat: a watchdog that fails on every tick watches nothing, and liveness shows it after the bound.
            Log.errorf(SafeThrowable.of(e), "Watchdog check failed");
        }
    }

    private void start(Trigger trigger) {
        StartResult result;
        try {
            result = coordinator.start(trigger, null, false);
        } catch (RuntimeException e) {
            // logged here rather than by the scheduler: the message of a database error may quote stored text
            Log.errorf(SafeThrowable.of(e), "The %s run could not start", trigger);
            return;
        }
        if (result instanceof StartResult.Conflict c) {
            Log.debugf("Skipping the %s run: %s", trigger, LogText.safe(c.reason()));
        } else if (result instanceof StartResult.Unavailable u) {
            Log.warnf("Skipping the %s run: %s", trigger, LogText.safe(u.reason())); // quotes a Redis error
        }
    }

    /** The "every" value as quarkus-scheduler reads it ({@code 10s}, {@code 500ms}, {@code PT10S}); null when "off". */
    static Duration every(String value) {
        String v = value.trim();
        return v.equalsIgnoreCase("off") || v.equalsIgnoreCase("disabled") ? null : DurationConverter.parseDuration(v);
    }
}
