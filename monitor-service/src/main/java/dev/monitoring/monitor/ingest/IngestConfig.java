package dev.monitoring.monitor.ingest;

import dev.monitoring.model.Severity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the monitor subscribes to Redis and writes what it receives: {@code monitor.ingest.*}. */
@ConfigMapping(prefix = "monitor.ingest")
public interface IngestConfig {

    /** Lowest severity that is persisted; lower ones are only counted and logged. */
    @WithDefault("error")
    Severity minSeverity();

    /** Events held in memory between the Redis subscription and PostgreSQL; when full, new events are dropped (and said so). */
    @WithDefault("100000")
    int bufferCapacity();

    /** Largest number of events written in one database transaction. */
    @WithDefault("1000")
    int batchSize();

    /** Pause before retrying a batch when PostgreSQL is unreachable. */
    @WithDefault("1s")
    Duration dbRetryDelay();

    /**
     * How long the error_id of a below-threshold (not stored) error is remembered so that the other monitor
     * replicas receiving the same event do not count it again; it only has to outlive their ingest delay.
     */
    @WithDefault("1h")
    Duration countedEventsTtl();

    /** How often claims older than {@link #countedEventsTtl()} are deleted (a scheduler period, "off" to disable). */
    @WithDefault("1m")
    String countedEventsSweepEvery();

    /** Reconnect policy of the Redis subscription. */
    Reconnect reconnect();

    interface Reconnect {
        /** Delay before the first resubscribe attempt. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** Upper bound of the exponential backoff. */
        @WithDefault("30s")
        Duration maxDelay();

        /** Growth factor of the delay between attempts. */
        @WithDefault("2.0")
        double multiplier();

        /** Random spread added to each delay, as a fraction of it (0.2 = up to +20 %), so many monitors do not retry in step. */
        @WithDefault("0.2")
        double jitter();
    }
}
