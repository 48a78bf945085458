package dev.monitoring.monitor.ingest.store;

import dev.monitoring.model.api.Executions;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.monitoring.monitor.ingest.store.SqlParams.odt;
import static dev.monitoring.monitor.ingest.store.StoredText.clean;
import static dev.monitoring.monitor.ingest.store.StoredText.id;

/** The execution rows of a batch and the freshness of each job and target they report on. */
@ApplicationScoped
class ExecutionRows {
    /**
     * The key's claim in execution_keys gives the day its row lives in (executions is partitioned by it, migration
     * V13): the first event of a key claims today, every later one, days later too, finds that day. The claim's no-op
     * update is what makes it return the day when another monitor claimed the key a moment ago (it waits for that
     * claim's commit, then reads it).
     */
    static final String UPSERT_EXECUTION = """
            WITH claim AS (
                INSERT INTO monitor.execution_keys AS k (kind, execution_key, received_at) VALUES ($1, $2, now())
                ON CONFLICT (kind, execution_key) DO UPDATE SET received_at = k.received_at
                RETURNING received_at)
            INSERT INTO monitor.executions AS x (kind, execution_key, execution_id, batch_run_id, job, symbol, timeframe,
                status, started_at, completed_at, duration_seconds, records_processed, attempt, error_message,
                total_jobs, successful_jobs, failed_jobs, updated_at, deadline, received_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                (SELECT received_at FROM claim))
            ON CONFLICT (kind, execution_key, received_at) DO UPDATE SET
                batch_run_id = coalesce(excluded.batch_run_id, x.batch_run_id),
                job = coalesce(excluded.job, x.job),
                symbol = coalesce(excluded.symbol, x.symbol),
                timeframe = coalesce(excluded.timeframe, x.timeframe),
                status = CASE WHEN excluded.status = 'running' AND x.status <> 'running' THEN x.status ELSE excluded.status END,
                started_at = coalesce(x.started_at, excluded.started_at),
                completed_at = coalesce(excluded.completed_at, x.completed_at),
                duration_seconds = coalesce(excluded.duration_seconds, x.duration_seconds),
                records_processed = coalesce(excluded.records_processed, x.records_processed),
                attempt = coalesce(excluded.attempt, x.attempt),
                error_message = coalesce(excluded.error_message, x.error_message),
                total_jobs = coalesce(excluded.total_jobs, x.total_jobs),
                successful_jobs = coalesce(excluded.successful_jobs, x.successful_jobs),
                failed_jobs = coalesce(excluded.failed_jobs, x.failed_jobs),
                updated_at = greatest(x.updated_at, excluded.updated_at),
                deadline = coalesce(excluded.deadline, x.deadline)""";

    /**
     * A failure never touches last_success_at; an older event (delivered late, replayed) never overrides a newer
     * attempt's status nor a newer success's data point count.
     */
    private static final String UPSERT_FRESHNESS = """
            INSERT INTO monitor.freshness AS f (job, symbol, timeframe, last_success_at, last_attempt_at, last_status,
                last_error_message, data_point_count, fresh_seconds, stale_seconds)
            VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::bigint, 0), $9, $10)
            ON CONFLICT (job, symbol, timeframe) DO UPDATE SET
                last_success_at = greatest(f.last_success_at, excluded.last_success_at),
                last_status = CASE WHEN f.last_attempt_at IS NULL OR excluded.last_attempt_at >= f.last_attempt_at
                                   THEN excluded.last_status ELSE f.last_status END,
                last_error_message = CASE WHEN f.last_attempt_at IS NULL OR excluded.last_attempt_at >= f.last_attempt_at
                                   THEN excluded.last_error_message ELSE f.last_error_message END,
                last_attempt_at = greatest(f.last_attempt_at, excluded.last_attempt_at),
                data_point_count = CASE WHEN excluded.last_success_at IS NOT NULL AND $8::bigint IS NOT NULL
                                        AND (f.last_success_at IS NULL OR excluded.last_success_at >= f.last_success_at)
                                   THEN $8::bigint ELSE f.data_point_count END,
                fresh_seconds = coalesce(excluded.fresh_seconds, f.fresh_seconds),
                stale_seconds = coalesce(excluded.stale_seconds, f.stale_seconds)""";

    /** Executions are few and order matters (started before succeeded): one statement each, in arrival order. */
    Uni<Void> write(SqlConnection conn, List<Batch.Execution> executions) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Batch.Execution x : executions) {
            chain = chain.call(() -> upsertExecution(conn, x)).call(() -> upsertFreshness(conn, x));
        }
        return chain;
    }

    private Uni<Void> upsertExecution(SqlConnection conn, Batch.Execution x) {
        ExecutionEvent e = x.event();
        boolean run = e.isRunLevel();
        Instant received = x.raw().receivedAt();
        Instant timestamp = ProducerClock.notAhead(e.timestamp(), received, e);
        Instant startedAt = e.startedAt() != null ? ProducerClock.notAhead(e.startedAt(), received, e)
                : e.status() == ExecutionStatus.RUNNING ? timestamp : null;
        Instant completedAt = e.completedAt() != null ? ProducerClock.notAhead(e.completedAt(), received, e)
                : e.status().finished() ? timestamp : null;
        List<Object> values = Arrays.asList(
                run ? "run" : "job",
                id(run ? e.batchRunId() : e.executionId()),
                id(run ? e.batchRunId() : e.executionId()),
                id(e.batchRunId()),
                id(e.job()),
                id(e.symbol()),
                id(e.timeframe()),
                e.status().wireName(),
                odt(startedAt),
                odt(completedAt),
                e.durationSeconds(),
                e.recordsProcessed(),
                e.attempt(),
                clean(e.errorMessage()),
                e.totalJobs(),
                e.completedJobs(),
                e.failedJobs(),
                odt(timestamp),
                run ? odt(e.deadline()) : null);
        return conn.preparedQuery(UPSERT_EXECUTION).execute(Tuple.tuple(values)).replaceWithVoid();
    }

    private Uni<Void> upsertFreshness(SqlConnection conn, Batch.Execution x) {
        ExecutionEvent e = x.event();
        if (e.isRunLevel()) {
            return Uni.createFrom().voidItem();
        }
        Instant at = ProducerClock.notAhead(e.completedAt() != null && e.status().finished() ? e.completedAt() : e.timestamp(),
                x.raw().receivedAt(), e);
        boolean success = e.status() == ExecutionStatus.COMPLETED;
        List<Object> values = Arrays.asList(
                id(e.job()),
                e.symbol() == null ? "" : id(e.symbol()),
                e.timeframe() == null ? "" : id(e.timeframe()),
                success ? odt(at) : null,
                odt(at),
                e.status().wireName(),
                e.status() == ExecutionStatus.FAILED ? clean(e.errorMessage()) : null,
                success ? e.recordsProcessed() : null,
                e.freshSeconds(),
                e.staleSeconds());
        return conn.preparedQuery(UPSERT_FRESHNESS).execute(Tuple.tuple(values)).replaceWithVoid();
    }
}
