package dev.monitoring.monitor.retention;

import io.quarkus.logging.Log;
import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deletes history older than the configured age: the days of errors and executions whose every row is older (whole
 * partitions, see {@link DayPartitions}), then table by table in bounded batches. Each table's condition reads an index (migration V6
 * lists them). What never goes: an open alert (resolved_at NULL), a silence still in force.
 */
@ApplicationScoped
public class RetentionJob {
    /** Table -> the condition ({@code $1}: the cut-off) that makes a row old enough to go. */
    private static final Map<String, String> AGED_WHEN = new LinkedHashMap<>();

    static {
        // error_logs' whole days are dropped (DayPartitions); rows go one by one only from its default partition
        AGED_WHEN.put("monitor.error_logs_default", "received_at < $1");
        // a claim outlives its error: it goes a day after the cut-off, when its error's day has surely been dropped
        AGED_WHEN.put("monitor.error_ids", "received_at < $1::timestamptz - interval '1 day'");
        AGED_WHEN.put("monitor.error_groups", "last_seen < $1");
        AGED_WHEN.put("monitor.error_group_activity", "at < $1");
        AGED_WHEN.put("monitor.error_counts", "bucket < $1");
        // an hour goes once all of it is older than the cut-off, so no count of the minutes kept is lost
        AGED_WHEN.put("monitor.error_counts_hourly", "hour < $1::timestamptz - interval '1 hour'");
        // executions' whole days are dropped like error_logs'; its claims go a day after theirs, like error_ids
        AGED_WHEN.put("monitor.executions_default", "received_at < $1");
        AGED_WHEN.put("monitor.execution_keys", "received_at < $1::timestamptz - interval '1 day'");
        AGED_WHEN.put("monitor.rejected_events", "received_at < $1");
        AGED_WHEN.put("monitor.dead_letters", "dead_at < $1");
        // resolved before the cut-off; an open alert has no resolved_at and stays however old it is
        AGED_WHEN.put("monitor.alerts", "resolved_at < $1");
        // a target neither attempted nor successful since the cut-off (its job was removed or renamed, say)
        AGED_WHEN.put("monitor.freshness", "greatest(last_attempt_at, last_success_at) < $1");
        AGED_WHEN.put("monitor.notifications", "updated_at < $1");
        // expired by hand or past its end before the cut-off; one without either is in force and stays
        AGED_WHEN.put("monitor.silences", "least(expired_at, ends_at) < $1");
        // a check's runs before the cut-off, except its last 21 (its recent history, however old)
        AGED_WHEN.put("monitor.check_runs", "coalesce(finished_at, started_at) < $1 AND id NOT IN (SELECT k.id FROM monitor.checks c "
                + "CROSS JOIN LATERAL (SELECT r.id FROM monitor.check_runs r WHERE r.check_name = c.name ORDER BY r.id DESC LIMIT 21) k)");
    }

    /** The purge's entry for the number of day partitions (of error_logs and executions) dropped whole. */
    public static final String DAYS_DROPPED = "day partitions dropped";

    private final Pool pool;
    private final RetentionConfig config;
    private final DayPartitions days;
    private final Heartbeat heartbeat;

    /** Registers its worker when made: CDI makes the bean once, at start-up or at the scheduler's first call. */
    public RetentionJob(Pool pool, RetentionConfig config, Heartbeats heartbeats, DayPartitions days) {
        this.pool = pool;
        this.config = config;
        this.days = days;
        this.heartbeat = heartbeats.register("retention");
    }

    /** Table -> the condition that ages its rows ({@code $1}: the cut-off), in the order they are purged. */
    static Map<String, String> agedWhen() {
        return java.util.Collections.unmodifiableMap(AGED_WHEN);
    }

    void onStart(@Observes StartupEvent event) {
        if ("off".equals(config.every())) {
            heartbeat.idle();
        }
    }

    /** Owes a beat per deleted batch while it runs, and the next run by the end of the period. */
    @Scheduled(every = "${monitor.retention.every:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        try {
            purge();
        } catch (RuntimeException e) {
            Log.warnf("Retention purge failed, retrying at the next run: %s", LogText.safe(e.getMessage()));
        } finally {
            heartbeat.beat(DurationConverter.parseDuration(config.every()));
        }
    }

    /** Returns the number of rows deleted per table, and the number of error days dropped whole. */
    public Map<String, Long> purge() {
        OffsetDateTime cutoff = Instant.now().minus(config.maxAge()).atOffset(ZoneOffset.UTC);
        Map<String, Long> deleted = new LinkedHashMap<>();
        deleted.put(DAYS_DROPPED, (long) days.dropEndedBefore(cutoff.toInstant()).size());
        AGED_WHEN.forEach((table, condition) -> {
            String sql = "DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE " + condition
                    + " LIMIT $2)";
            long total = 0;
            int n;
            do {
                n = pool.preparedQuery(sql).execute(Tuple.of(cutoff, config.batchSize())).await().atMost(Duration.ofSeconds(20)).rowCount();
                heartbeat.beat();
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
