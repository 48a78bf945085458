package dev.monitoring.monitor.freshness;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Optional;

/**
 * Freshness thresholds: {@code monitor.freshness.*}. A job's own thresholds, sent by the runner
 * in its events ({@code fresh_seconds}/{@code stale_seconds}), win over {@code jobs."name".*},
 * which win over the global ones.
 */
@ConfigMapping(prefix = "monitor.freshness")
public interface FreshnessConfig {
    /** Below this many seconds since the last success a target is fresh (default 1 h). */
    @WithDefault("3600")
    long freshSeconds();

    /** From this many seconds since the last success a target is stale (default 24 h); in between it is aging. */
    @WithDefault("86400")
    long staleSeconds();

    /** Per-job overrides, e.g. {@code monitor.freshness.jobs."daily-bars".stale-seconds=172800}. */
    Map<String, JobThresholds> jobs();

    interface JobThresholds {
        /** Fresh threshold of this job, in seconds. */
        Optional<Long> freshSeconds();

        /** Stale threshold of this job, in seconds. */
        Optional<Long> staleSeconds();
    }
}
