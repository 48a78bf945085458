package dev.monitoring.monitor.executions;

import dev.monitoring.monitor.api.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Batch runs and failed job executions, in the shapes of the API. */
@ApplicationScoped
public class ExecutionQueries {
    private final Pool pool;

    public ExecutionQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Map<String, Object>>> runs(int limit) {
        String sql = """
                SELECT * FROM monitor.executions WHERE kind = 'run'
                ORDER BY coalesce(started_at, updated_at) DESC, id DESC LIMIT $1""";
        return pool.preparedQuery(sql).execute(Tuple.of(limit)).map(rows -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(run(r));
            }
            return list;
        });
    }

    public Uni<List<Map<String, Object>>> recentFailures(int hours, int limit) {
        String sql = """
                SELECT symbol, timeframe, job, error_message, coalesce(completed_at, updated_at) AS failed_at
                FROM monitor.executions
                WHERE kind = 'job' AND status = 'failed' AND updated_at >= now() - make_interval(hours => $1)
                ORDER BY updated_at DESC, id DESC LIMIT $2""";
        return pool.preparedQuery(sql).execute(Tuple.of(hours, limit)).map(rows -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("symbol", Rows.target(r, "symbol"));
                m.put("timeframe", Rows.target(r, "timeframe"));
                m.put("job", r.getString("job"));
                m.put("error", r.getString("error_message"));
                m.put("failed_at", Rows.instant(r, "failed_at"));
                list.add(m);
            }
            return list;
        });
    }

    private static Map<String, Object> run(Row r) {
        Integer total = r.getInteger("total_jobs");
        Integer ok = r.getInteger("successful_jobs");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("execution_id", r.getString("execution_key"));
        m.put("started_at", Rows.instant(r, "started_at"));
        m.put("completed_at", Rows.instant(r, "completed_at"));
        m.put("duration_seconds", r.getDouble("duration_seconds"));
        m.put("total_symbols", total);
        m.put("successful_symbols", ok);
        m.put("failed_symbols", r.getInteger("failed_jobs"));
        m.put("total_records_processed", r.getLong("records_processed"));
        m.put("status", r.getString("status"));
        m.put("error_message", r.getString("error_message"));
        m.put("success_rate", total == null || total == 0 || ok == null ? null : Rows.oneDecimal(100.0 * ok / total));
        return m;
    }
}
