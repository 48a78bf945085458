package dev.monitoring.monitor;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;

/** Test helper: empty the monitor's tables and count rows, through the app's own pool. */
public final class MonitorTables {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private MonitorTables() {
    }

    public static void truncateAll(Pool pool) {
        pool.query("TRUNCATE monitor.error_logs, monitor.error_ids, monitor.error_groups, monitor.error_counts, monitor.error_counts_hourly, monitor.executions, monitor.execution_keys, "
                + "monitor.freshness, monitor.alerts, monitor.rejected_events, monitor.counted_events, monitor.dead_letters, monitor.silences, monitor.notifications, monitor.error_group_activity, monitor.error_group_merges, monitor.checks, monitor.check_runs RESTART IDENTITY").execute().await().atMost(TIMEOUT);
    }

    public static long count(Pool pool, String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT)
                .iterator().next().getLong(0);
    }

    public static void execute(Pool pool, String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT);
    }

    /**
     * Holds a table locked in a transaction of its own connection, as a long maintenance transaction would, until
     * closed (the transaction is rolled back).
     */
    public static AutoCloseable lock(Pool pool, String table) {
        var connection = pool.getConnection().await().atMost(TIMEOUT);
        var transaction = connection.begin().await().atMost(TIMEOUT);
        connection.query("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE").execute().await().atMost(TIMEOUT);
        return () -> {
            transaction.rollback().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        };
    }
}
