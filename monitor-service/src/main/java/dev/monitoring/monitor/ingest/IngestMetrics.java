package dev.monitoring.monitor.ingest;

import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Singleton, not a client proxy: the I/O thread reads its fields directly. The ingest counters, exposed on
 * {@code /q/metrics} as {@code monitor_ingest_*_total} and {@code monitor_stream_*_total} (the subscription's own are registered by
 * {@link RedisEventSubscriber}).
 */
@Singleton
public class IngestMetrics {
    public final Counter received;
    public final Counter persisted;
    public final Counter filteredOut;
    public final Counter rejected;
    public final Counter dropped;
    public final Counter streamReceived;
    public final Counter streamClaimed;
    public final Counter deadLettered;
    public final Counter ackFailures;
    public final Counter duplicates;

    public IngestMetrics(MeterRegistry registry) {
        received = Counter.builder("monitor.ingest.received").description("Messages received on the errors and executions channels").register(registry);
        persisted = Counter.builder("monitor.ingest.persisted").description("Error rows actually inserted (duplicates excluded)").register(registry);
        filteredOut = Counter.builder("monitor.ingest.filtered_out").description("Errors below the severity filter: counted, logged, not stored").register(registry);
        rejected = Counter.builder("monitor.ingest.rejected").description("Invalid messages, kept in rejected_events").register(registry);
        dropped = Counter.builder("monitor.ingest.dropped").description("Messages dropped because the ingest buffer was full").register(registry);
        streamReceived = Counter.builder("monitor.stream.received").description("Entries read from the event streams (new and claimed)").register(registry);
        streamClaimed = Counter.builder("monitor.stream.claimed").description("Entries claimed from a consumer that crashed or hangs (XAUTOCLAIM)").register(registry);
        deadLettered = Counter.builder("monitor.stream.dead_lettered").description("Entries moved to dead_letters after too many deliveries").register(registry);
        duplicates = Counter.builder("monitor.ingest.duplicates").description("Copies of an error already stored (both paths, redeliveries), skipped before the database").register(registry);
        ackFailures = Counter.builder("monitor.stream.ack_failures").description("XACKs that failed after the commit (the entries are claimed and stored again, idempotently)").register(registry);
    }

    public double persisted() {
        return persisted.count();
    }

    public double dropped() {
        return dropped.count();
    }
}
