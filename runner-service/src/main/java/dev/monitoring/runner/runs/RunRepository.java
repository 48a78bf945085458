package dev.monitoring.runner.runs;

import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.runner.execution.ExecutionResult;
import dev.monitoring.runner.jobs.Target;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs, executions and job states in the runner's own schema. Plain JDBC: every caller is already on a
 * worker thread (run loop, blocking REST endpoint, scheduler), and there are a few statements per execution.
 */
@ApplicationScoped
public class RunRepository {
    private final DataSource dataSource;

    public RunRepository(DataSource dataSource) {
        this.dataSource = dataSource;
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
                rs -> {
                    Target target = Target.fromKeys(rs.getString(2), rs.getString(3));
                    JobState state = new JobState(rs.getString(1), target, instant(rs, 4), instant(rs, 5),
                            rs.getString(6), instant(rs, 7), rs.getInt(8));
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
                rs -> executions.add(new RunRecord.ExecutionRecord(rs.getString(1), rs.getString(2),
                        Target.fromKeys(rs.getString(3), rs.getString(4)), rs.getString(5), rs.getInt(6),
                        instant(rs, 7), instant(rs, 8), (Long) rs.getObject(9), (Integer) rs.getObject(10),
                        rs.getString(11), rs.getString(12))), id);
        return Optional.of(runs.get(0).withExecutions(executions));
    }

    public List<RunRecord> recentRuns(int limit) {
        return runs("", limit);
    }

    /** Marks every run still "running" (except {@code keepRunId}) failed: its runner died with it. */
    public List<String> failOrphanedRuns(String keepRunId, String message) {
        List<String> ids = new ArrayList<>();
        query("UPDATE runner.batch_run SET status = 'failed', message = ?, finished_at = now(), updated_at = now() "
                + "WHERE status = 'running' AND id <> ? RETURNING id", rs -> ids.add(rs.getString(1)), message,
                keepRunId == null ? "" : keepRunId);
        update("UPDATE runner.execution SET status = 'failed', error_type = 'Orphaned', error_message = ?, finished_at = now() "
                + "WHERE status = 'running' AND batch_run_id <> ?", message, keepRunId == null ? "" : keepRunId);
        return ids;
    }

    private List<RunRecord> runs(String where, int limit, Object... params) {
        List<RunRecord> runs = new ArrayList<>();
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = limit;
        query("SELECT id, status, trigger, job_filter, started_at, finished_at, total_jobs, completed_jobs, failed_jobs, "
                        + "records_processed, message FROM runner.batch_run " + where + " ORDER BY started_at DESC, id LIMIT ?",
                rs -> runs.add(new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        instant(rs, 5), instant(rs, 6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getLong(10),
                        rs.getString(11), List.of())), all);
        return runs;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowReader reader, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("runner database: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("runner database: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            if (params[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
        return ps;
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
