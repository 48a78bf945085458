package dev.monitoring.model.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the {@link EventPublisher}: {@code monitoring.publisher.*}. */
@ConfigMapping(prefix = "monitoring.publisher")
public interface PublisherConfig {
    /** Events kept in memory while Redis is unreachable; beyond it the oldest are dropped (loudly). */
    @WithDefault("10000")
    int outboxCapacity();

    /** Pause between two tries to reach Redis again while it is unreachable. */
    @WithDefault("1S")
    Duration retryInterval();

    /** A PUBLISH without an answer within this time counts as failed (and is tried again). */
    @WithDefault("3S")
    Duration publishTimeout();

    /**
     * Whether error and execution events are also appended to their durable stream ({@code <channel>:stream}), which the
     * monitors consume with acknowledgements, so nothing is lost while a monitor is down. PUBLISH happens either way.
     */
    @WithDefault("true")
    boolean streamEnabled();

    /**
     * Approximate cap of each stream ({@code XADD ... MAXLEN ~ N}): how many events survive an outage of every monitor.
     * At about 700 bytes an event, 100,000 is about 70 MB of Redis memory per stream when full.
     */
    @WithDefault("100000")
    long streamMaxLength();
}
