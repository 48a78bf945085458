package dev.monitoring.model.pubsub;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How a service comes back to Redis after losing it: the pub/sub subscription of every service and the monitor's
 * stream consumer retry with this one capped exponential backoff with jitter.
 */
@ConfigMapping(prefix = "monitoring.reconnect")
public interface ReconnectConfig {
    /** Delay before the first retry. */
    @WithDefault("200ms")
    Duration initialDelay();

    /** Upper bound of the exponential backoff. */
    @WithDefault("5s")
    Duration maxDelay();

    /** Growth factor of the delay between attempts. */
    @WithDefault("2.0")
    double multiplier();

    /** Random extra delay, as a fraction of the delay (0.2: up to 20 % more), so many replicas do not retry in step. */
    @WithDefault("0.2")
    double jitter();

    /** How long one subscribe attempt may take before it counts as failed (a Redis that accepts and never answers). */
    @WithDefault("10s")
    Duration attemptTimeout();
}
