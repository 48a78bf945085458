package dev.monitoring.runner.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of stored runs (snake_case, like the events). */
final class RunViews {
    private RunViews() {
    }

    /** The live progress of a run, as {@code GET /api/runs/current} shows it. */
    static Map<String, Object> running(BatchRun run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "running");
        body.put("batch_run_id", run.id());
        body.put("started_at", run.startedAt().toString());
        body.put("elapsed_seconds", Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0);
        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("total", run.total());
        jobs.put("completed", run.completed());
        jobs.put("failed", run.failed());
        body.put("jobs", jobs);
        body.put("current_job", run.currentJob());
        body.put("current_portfolio", run.currentTarget());
        body.put("progress_percent", run.progressPercent());
        return body;
    }

    static Map<String, Object> summary(RunRecord r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batch_run_id", r.id());
        body.put("status", r.status());
        body.put("trigger", r.trigger());
        body.put("job_filter", r.jobFilter());
        body.put("started_at", text(r.startedAt()));
        body.put("finished_at", text(r.finishedAt()));
        body.put("duration_seconds", seconds(r.startedAt(), r.finishedAt()));
        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("total", r.total());
        jobs.put("completed", r.completed());
        jobs.put("failed", r.failed());
        body.put("jobs", jobs);
        body.put("records_processed", r.records());
        body.put("message", r.message());
        return body;
    }

    static Map<String, Object> detail(RunRecord r) {
        Map<String, Object> body = summary(r);
        body.put("results", r.executions().stream().map(e -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("execution_id", e.id());
            x.put("job", e.job());
            x.put("symbol", e.target().symbol());
            x.put("timeframe", e.target().timeframe());
            x.put("status", e.status());
            x.put("attempts", e.attempts());
            x.put("started_at", text(e.startedAt()));
            x.put("finished_at", text(e.finishedAt()));
            x.put("duration_seconds", seconds(e.startedAt(), e.finishedAt()));
            x.put("records_processed", e.records());
            x.put("exit_code", e.exitCode());
            x.put("error_type", e.errorType());
            x.put("error_message", e.errorMessage());
            return x;
        }).toList());
        return body;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }
}
