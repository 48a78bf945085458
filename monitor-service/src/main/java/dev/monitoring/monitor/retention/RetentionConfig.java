package dev.monitoring.monitor.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long history is kept: {@code monitor.retention.*}. */
@ConfigMapping(prefix = "monitor.retention")
public interface RetentionConfig {
    /**
     * Errors, groups, counts, executions, rejected events, dead letters, resolved alerts, freshness targets not seen,
     * notifications and ended silences older than this are deleted.
     */
    @WithDefault("30d")
    Duration maxAge();

    /** Rows deleted per statement, so a large purge never holds long locks. */
    @WithDefault("5000")
    int batchSize();

    /** How often the purge runs ({@code off} disables it). */
    @WithDefault("1h")
    String every();
}
