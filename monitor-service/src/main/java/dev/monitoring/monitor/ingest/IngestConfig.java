package dev.monitoring.monitor.ingest;

import dev.monitoring.model.Severity;
import io.quarkus.runtime.configuration.MemorySize;
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

    /**
     * The buffer's bound in bytes of payload (an event may be up to 64 KiB, so a count alone does not bound memory).
     * A pub/sub message that would pass it is dropped and counted; the stream consumer waits for room instead.
     */
    @WithDefault("64M")
    MemorySize bufferMaxBytes();

    /** How many recently stored error_ids the writer remembers to skip the second copy of an event without a query. */
    @WithDefault("100000")
    int recentIds();

    /** ... and how many characters of ids at most, since an error_id is producer text of any length. */
    @WithDefault("8000000")
    long recentIdsMaxChars();

    /** Largest number of events written in one database transaction. */
    @WithDefault("1000")
    int batchSize();

    /**
     * How long PostgreSQL may spend on one statement of a batch (waiting for a lock a long transaction holds, say)
     * before it cancels it and the writer tries again. Below the writer's own 20 s wait for an answer: a statement the
     * writer stopped waiting for would go on in PostgreSQL, holding a connection, and each retry would queue behind it.
     */
    @WithDefault("15s")
    Duration statementTimeout();

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
}
