package dev.monitoring.monitor.selfwatch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** What the monitor watches about itself, and when it says so: {@code monitor.self-watch.*}. */
@ConfigMapping(prefix = "monitor.self-watch")
public interface SelfWatchConfig {
    /** How often the monitor looks at itself ({@code off} disables it; tests call {@code SelfWatch.check()}). */
    @WithDefault("2s")
    String checkEvery();

    /** PostgreSQL unreachable for longer than this raises postgres_unreachable. */
    @WithDefault("30s")
    Duration postgresDownAfter();

    /** No Redis subscription for longer than this raises redis_subscription_down. */
    @WithDefault("30s")
    Duration subscriptionDownAfter();

    /** More stream entries than this not yet read by the consumer group raise stream_backlog. */
    @WithDefault("10000")
    long streamLagThreshold();

    /** A stream entry read but not stored for longer than this raises stream_backlog too. */
    @WithDefault("2m")
    Duration streamPendingAgeThreshold();
}
