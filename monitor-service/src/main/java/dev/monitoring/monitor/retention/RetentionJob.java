package dev.monitoring.monitor.retention;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Deletes history older than the configured age, table by table, in bounded batches. */
@ApplicationScoped
public class RetentionJob {
    /** Table -> the timestamp column that ages its rows. */
    private static final Map<String, String> AGED_BY = new LinkedHashMap<>();

    static {
        AGED_BY.put("monitor.error_logs", "received_at");
        AGED_BY.put("monitor.error_groups", "last_seen");
        AGED_BY.put("monitor.error_counts", "bucket");
        AGED_BY.put("monitor.executions", "updated_at");
        AGED_BY.put("monitor.rejected_events", "received_at");
        AGED_BY.put("monitor.alerts", "resolved_at");
    }

    private final Pool pool;
    private final RetentionConfig config;

    public RetentionJob(Pool pool, RetentionConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "${monitor.retention.every:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        try {
            purge();
        } catch (RuntimeException e) {
            Log.warnf("Retention purge failed, retrying at the next run: %s", e.getMessage());
        }
    }

    /** Returns the number of rows deleted per table. */
    public Map<String, Long> purge() {
        OffsetDateTime cutoff = Instant.now().minus(config.maxAge()).atOffset(ZoneOffset.UTC);
        Map<String, Long> deleted = new LinkedHashMap<>();
        AGED_BY.forEach((table, column) -> {
            String sql = "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE " + column
                    + " < $1 LIMIT $2)";
            long total = 0;
            int n;
            do {
                n = pool.preparedQuery(sql).execute(Tuple.of(cutoff, config.batchSize())).await().atMost(Duration.ofMinutes(1)).rowCount();
                total += n;
            } while (n == config.batchSize());
            deleted.put(table, total);
        });
        if (deleted.values().stream().anyMatch(n -> n > 0)) {
            Log.infof("Retention: deleted rows older than %s: %s", config.maxAge(), deleted);
        }
        return deleted;
    }
}
