package dev.monitoring.monitor.ingest.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The durable path (nothing lost while a monitor is away): how the monitor consumes the {@code <channel>:stream} streams the shared publisher
 * appends to, in a consumer group that every monitor replica joins: {@code monitor.stream.*}.
 */
@ConfigMapping(prefix = "monitor.stream")
public interface StreamConfig {
    /** Consume the streams at all; pub/sub ingestion works either way. */
    @WithDefault("true")
    boolean enabled();

    /** The consumer group; replicas in the same group share the entries between them. */
    @WithDefault("monitor")
    String group();

    /** This replica's name in the group; by default host name plus a random suffix, new at every start. */
    Optional<String> consumer();

    /** Entries read (or claimed) per call. */
    @WithDefault("500")
    int readCount();

    /** How long one XREADGROUP waits for new entries. */
    @WithDefault("1s")
    Duration block();

    /**
     * An entry delivered but not acknowledged for this long belongs to a consumer that crashed or hangs: another
     * consumer claims it (XAUTOCLAIM). Longer than the slowest healthy write, or entries get processed twice.
     */
    @WithDefault("60s")
    Duration claimMinIdle();

    /** How often abandoned entries are looked for. */
    @WithDefault("5s")
    Duration claimEvery();

    /**
     * An entry delivered more often than this (each crash of a consumer holding it counts) is moved to the dead-letter
     * table with its reason and acknowledged, so one poisonous event cannot take every monitor down in turn.
     */
    @WithDefault("5")
    int maxDeliveries();

    /** Consumers that hold nothing and were idle this long (replicas gone for good) are removed from the group. */
    @WithDefault("1h")
    Duration forgetConsumersAfter();
}
