package dev.monitoring.monitor.ingest.store;

import dev.monitoring.monitor.ingest.IngestConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Keeps {@code counted_events} bounded: a claim only matters while the other replicas may still receive the
 * same event, so claims older than {@code monitor.ingest.counted-events-ttl} are deleted, in bounded batches.
 */
@ApplicationScoped
public class CountedEventsSweeper {
    private static final int BATCH = 10_000;
    private static final String DELETE_OLD = """
            DELETE FROM monitor.counted_events WHERE error_id IN (
                SELECT error_id FROM monitor.counted_events WHERE counted_at < $1 LIMIT $2)""";

    private final Pool pool;
    private final IngestConfig config;

    public CountedEventsSweeper(Pool pool, IngestConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "${monitor.ingest.counted-events-sweep-every:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        try {
            sweep();
        } catch (RuntimeException e) {
            Log.warnf("Sweeping counted_events failed, retrying at the next run: %s", e.getMessage());
        }
    }

    /** Returns the number of claims deleted. */
    public long sweep() {
        var cutoff = Instant.now().minus(config.countedEventsTtl()).atOffset(ZoneOffset.UTC);
        long total = 0;
        int n;
        do {
            n = pool.preparedQuery(DELETE_OLD).execute(Tuple.of(cutoff, BATCH)).await().atMost(Duration.ofMinutes(1)).rowCount();
            total += n;
        } while (n == BATCH);
        return total;
    }
}
