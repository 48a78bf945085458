package dev.monitoring.monitor.executions;

import dev.monitoring.model.api.JobFailure;
import dev.monitoring.model.api.RunExecution;
import dev.monitoring.monitor.api.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Batch runs and failed job executions, in the shapes of the API. */
@ApplicationScoped
public class ExecutionQueries {
    private final Pool pool;

    public ExecutionQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<RunExecution>> runs(int limit) {
        String sql = """
                SELECT * FROM monitor.executions WHERE kind = 'run'
                ORDER BY coalesce(started_at, updated_at) DESC, id DESC LIMIT $1""";
        return pool.preparedQuery(sql).execute(Tuple.of(limit)).map(rows -> {
            List<RunExecution> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(run(r));
            }
            return list;
        });
    }

    public Uni<List<JobFailure>> recentFailures(int hours, int limit) {
        String sql = """
                SELECT symbol, timeframe, job, error_message, coalesce(completed_at, updated_at) AS failed_at
                FROM monitor.executions
                WHERE kind = 'job' AND status = 'failed' AND updated_at >= now() - make_interval(hours => $1)
                ORDER BY updated_at DESC, id DESC LIMIT $2""";
        return pool.preparedQuery(sql).execute(Tuple.of(hours, limit)).map(rows -> {
            List<JobFailure> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new JobFailure(Rows.target(r, "symbol"), Rows.target(r, "timeframe"), r.getString("job"),
                        r.getString("error_message"), Rows.instant(r, "failed_at")));
            }
            return list;
        });
    }

    private static RunExecution run(Row r) {
        Integer total = r.getInteger("total_jobs");
        Integer ok = r.getInteger("successful_jobs");
        return new RunExecution(r.getString("execution_key"), Rows.instant(r, "started_at"), Rows.instant(r, "completed_at"),
                r.getDouble("duration_seconds"), total, ok, r.getInteger("failed_jobs"), r.getLong("records_processed"),
                r.getString("status"), r.getString("error_message"),
                total == null || total == 0 || ok == null ? null : Rows.oneDecimal(100.0 * ok / total));
    }
}
