package dev.monitoring.monitor.alerts;

import dev.monitoring.model.api.Alert;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Alert rules and their thresholds: {@code monitor.alerts.*}. A rule fires when its count is MORE than its threshold. */
@ConfigMapping(prefix = "monitor.alerts")
public interface AlertsConfig {
    /** How often the rules are evaluated ({@code off} disables the schedule). */
    @WithDefault("5s")
    String evaluateEvery();

    /** An alert whose condition still holds is published again (reminder=true) after this interval. */
    @WithDefault("30m")
    Duration reminderInterval();

    /**
     * How long a round waits for a rule's query, and for its reads and writes of the alerts table, before it counts
     * the rule as failing and goes on with the others.
     */
    @WithDefault("10s")
    Duration queryTimeout();

    /** Any critical error received within this window keeps the critical_error alert of its group open. */
    @WithDefault("5m")
    Duration criticalWindow();

    /** Any database error received within this window keeps the database_error alert of its group open. */
    @WithDefault("5m")
    Duration databaseWindow();

    /** error_rate: more than this many errors ... */
    @WithDefault("10")
    int errorRateThreshold();

    /** ... within this window. */
    @WithDefault("1m")
    Duration errorRateWindow();

    /** category_burst: more than this many errors of one category ... */
    @WithDefault("5")
    int categoryBurstThreshold();

    /** ... within this window. */
    @WithDefault("5m")
    Duration categoryBurstWindow();

    /** pattern_failures: more than this many pattern errors for one symbol ... */
    @WithDefault("3")
    int patternFailuresThreshold();

    /** ... within this window. */
    @WithDefault("1h")
    Duration patternFailuresWindow();

    /** job_stale: raise an alert for each (job, symbol, timeframe) whose freshness is stale. */
    @WithDefault("true")
    boolean staleJobs();

    /** job_failed: raise an alert for each (job, symbol, timeframe) whose latest attempt failed, of jobs no check watches. */
    @WithDefault("true")
    boolean failedJobs();

    /** A stream gap (events trimmed before any monitor stored them) keeps the stream_gap alert open this long. */
    @WithDefault("1h")
    Duration streamGapWindow();
}
