package dev.monitoring.runner.runs;

import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.runner.execution.ExecutionResult;
import dev.monitoring.runner.jobs.Target;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs, executions and job states in the runner's own schema, on the reactive PostgreSQL client. Every caller is
 * already on a worker thread (run loop, blocking REST endpoint, scheduler, start-up) and a run makes a few statements
 * per execution, so each statement is awaited there; JDBC stays for Flyway's migrations only.
 */
@ApplicationScoped
public class RunRepository {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;

    public RunRepository(Pool pool) {
        this.pool = pool;
    }

    public void insertRun(BatchRun run) {
        update("INSERT INTO runner.batch_run (id, status, trigger, job_filter, started_at, updated_at) VALUES (?, 'running', ?, ?, ?, now())",
                run.id(), run.trigger().name().toLowerCase(), run.jobFilter(), ts(run.startedAt()));
    }

    public void updateProgress(BatchRun run) {
        update("UPDATE runner.batch_run SET total_jobs = ?, completed_jobs = ?, failed_jobs = ?, records_processed = ?, updated_at = now() WHERE id = ?",
                run.total(), run.completed(), run.failed(), run.records(), run.id());
    }

    public void finishRun(BatchRun run, ExecutionStatus status, String message) {
        update("UPDATE runner.batch_run SET status = ?, message = ?, finished_at = now(), total_jobs = ?, completed_jobs = ?, "
                        + "failed_jobs = ?, records_processed = ?, updated_at = now() WHERE id = ?",
                status.wireName(), message, run.total(), run.completed(), run.failed(), run.records(), run.id());
    }

    public void insertExecution(String id, String batchRunId, String job, Target target, Instant startedAt) {
        update("INSERT INTO runner.execution (id, batch_run_id, job, symbol, timeframe, status, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?)",
                id, batchRunId, job, target.symbolKey(), target.timeframeKey(), ts(startedAt));
    }

    public void finishExecution(ExecutionResult r) {
        update("UPDATE runner.execution SET status = ?, attempts = ?, finished_at = ?, records_processed = ?, exit_code = ?, "
                        + "error_type = ?, error_message = ? WHERE id = ?",
                r.status().wireName(), r.attempts(), ts(r.finishedAt()), r.last().recordsProcessed(), r.last().exitCode(),
                r.last().errorType(), r.last().message(), r.executionId());
    }

    /** Remembers how an execution ended; a failed one is due again after {@code retryDelay}. */
    public void saveState(ExecutionResult r, Duration retryDelay) {
        boolean ok = r.succeeded();
        update("INSERT INTO runner.job_state AS s (job, symbol, timeframe, last_attempt_at, last_success_at, last_status, next_retry_at, consecutive_failures) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job, symbol, timeframe) DO UPDATE SET "
                        + "last_attempt_at = excluded.last_attempt_at, "
                        + "last_success_at = COALESCE(excluded.last_success_at, s.last_success_at), "
                        + "last_status = excluded.last_status, next_retry_at = excluded.next_retry_at, "
                        + "consecutive_failures = CASE WHEN excluded.last_status = 'failed' THEN s.consecutive_failures + 1 ELSE 0 END",
                r.job().name(), r.target().symbolKey(), r.target().timeframeKey(), ts(r.startedAt()),
                ok ? ts(r.finishedAt()) : null, ok ? "succeeded" : "failed",
                ok ? null : ts(r.finishedAt().plus(retryDelay)), ok ? 0 : 1);
    }

    public Map<JobState.Key, JobState> loadStates() {
        Map<JobState.Key, JobState> states = new HashMap<>();
        query("SELECT job, symbol, timeframe, last_attempt_at, last_success_at, last_status, next_retry_at, consecutive_failures FROM runner.job_state",
                row -> {
                    Target target = Target.fromKeys(row.getString(1), row.getString(2));
                    JobState state = new JobState(row.getString(0), target, instant(row, 3), instant(row, 4),
                            row.getString(5), instant(row, 6), intOrZero(row, 7));
                    states.put(JobState.Key.of(state.job(), target), state);
                });
        return states;
    }

    public Optional<RunRecord> findRun(String id) {
        List<RunRecord> runs = runs("WHERE id = ?", 1, id);
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        List<RunRecord.ExecutionRecord> executions = new ArrayList<>();
        query("SELECT id, job, symbol, timeframe, status, attempts, started_at, finished_at, records_processed, exit_code, "
                        + "error_type, error_message FROM runner.execution WHERE batch_run_id = ? ORDER BY started_at, id",
                row -> executions.add(new RunRecord.ExecutionRecord(row.getString(0), row.getString(1),
                        Target.fromKeys(row.getString(2), row.getString(3)), row.getString(4), intOrZero(row, 5),
                        instant(row, 6), instant(row, 7), row.getLong(8), row.getInteger(9),
                        row.getString(10), row.getString(11))), id);
        return Optional.of(runs.get(0).withExecutions(executions));
    }

    public List<RunRecord> recentRuns(int limit) {
        return runs("", limit);
    }

    /**
     * Marks every run still "running" (except {@code keepRunId}) failed: its runner died with it. It ended at its last
     * sign of life (its last progress, or the last of its executions to start or end), not when a runner found it: a
     * run orphaned at night and found in the morning did not take all night.
     */
    public Orphans failOrphanedRuns(String keepRunId, String message) {
        List<String> ids = new ArrayList<>();
        List<OrphanedExecution> executions = new ArrayList<>();
        String keep = keepRunId == null ? "" : keepRunId;
        query("UPDATE runner.execution e SET status = 'failed', error_type = 'Orphaned', error_message = ?, "
                + "finished_at = GREATEST(e.started_at, b.updated_at) FROM runner.batch_run b "
                + "WHERE e.batch_run_id = b.id AND e.status = 'running' AND b.status = 'running' AND b.id <> ? "
                + "RETURNING e.id, e.batch_run_id, e.job, e.symbol, e.timeframe, e.attempts, e.started_at, e.finished_at",
                row -> executions.add(new OrphanedExecution(row.getString(0), row.getString(1), row.getString(2),
                        row.getString(3), row.getString(4), intOrZero(row, 5), instant(row, 6), instant(row, 7))),
                message, keep);
        query("UPDATE runner.batch_run b SET status = 'failed', message = ?, updated_at = now(), finished_at = GREATEST("
                + "b.updated_at, (SELECT max(COALESCE(e.finished_at, e.started_at)) FROM runner.execution e "
                + "WHERE e.batch_run_id = b.id)) WHERE b.status = 'running' AND b.id <> ? RETURNING b.id",
                row -> ids.add(row.getString(0)), message, keep);
        return new Orphans(ids, executions);
    }

    /** The runs marked failed by {@link #failOrphanedRuns}, and their executions that were still running. */
    public record Orphans(List<String> runs, List<OrphanedExecution> executions) {
    }

    /** An execution left running by a runner that stopped; symbol and timeframe are empty for an untargeted job. */
    public record OrphanedExecution(String id, String batchRunId, String job, String symbol, String timeframe,
                                    int attempts, Instant startedAt, Instant finishedAt) {
    }

    private List<RunRecord> runs(String where, int limit, Object... params) {
        List<RunRecord> runs = new ArrayList<>();
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = limit;
        query("SELECT id, status, trigger, job_filter, started_at, finished_at, total_jobs, completed_jobs, failed_jobs, "
                        + "records_processed, message FROM runner.batch_run " + where + " ORDER BY started_at DESC, id LIMIT ?",
                row -> runs.add(new RunRecord(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                        instant(row, 4), instant(row, 5), intOrZero(row, 6), intOrZero(row, 7), intOrZero(row, 8),
                        longOrZero(row, 9), row.getString(10), List.of())), all);
        return runs;
    }

    private void query(String sql, Consumer<Row> reader, Object... params) {
        execute(sql, params).forEach(reader);
    }

    private void update(String sql, Object... params) {
        execute(sql, params);
    }

    private RowSet<Row> execute(String sql, Object... params) {
        try {
            return pool.preparedQuery(numbered(sql)).execute(Tuple.from(java.util.Arrays.asList(params)))
                    .await().atMost(STATEMENT_TIMEOUT);
        } catch (RuntimeException e) {
            throw new IllegalStateException("runner database: " + e.getMessage(), e);
        }
    }

    /** JDBC-style {@code ?} placeholders to PostgreSQL's {@code $1, $2, ...}; no statement here has a literal '?'. */
    static String numbered(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int n = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                out.append('$').append(++n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, int column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static int intOrZero(Row row, int column) {
        Integer v = row.getInteger(column);
        return v == null ? 0 : v;
    }

    private static long longOrZero(Row row, int column) {
        Long v = row.getLong(column);
        return v == null ? 0 : v;
    }
}
