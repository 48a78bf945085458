package dev.monitoring.runner.runs;

import dev.monitoring.model.api.JobCounts;
import dev.monitoring.model.api.RunDetail;
import dev.monitoring.model.api.RunProgress;
import dev.monitoring.model.api.RunSummary;

import java.time.Duration;
import java.time.Instant;

/** A run as the runs API shows it: the runner's own state put into the shapes of the contract. */
final class RunViews {
    private RunViews() {
    }

    /** The live progress of a run this replica runs. */
    static RunProgress progress(BatchRun run) {
        return new RunProgress("running", run.id(), run.startedAt().toString(),
                Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0,
                new JobCounts(run.total(), run.completed(), run.failed()), run.currentJob(), run.currentTarget(),
                run.progressPercent());
    }

    static RunSummary summary(RunRecord r) {
        return new RunSummary(r.id(), r.status(), r.trigger(), r.jobFilter(), text(r.startedAt()), text(r.finishedAt()),
                seconds(r.startedAt(), r.finishedAt()), new JobCounts(r.total(), r.completed(), r.failed()), r.records(),
                r.message());
    }

    static RunDetail detail(RunRecord r) {
        return new RunDetail(summary(r), r.executions().stream().map(RunViews::result).toList());
    }

    private static RunDetail.Result result(RunRecord.ExecutionRecord e) {
        return new RunDetail.Result(e.id(), e.job(), e.target().symbol(), e.target().timeframe(), e.status(), e.attempts(),
                text(e.startedAt()), text(e.finishedAt()), seconds(e.startedAt(), e.finishedAt()), e.records(), e.exitCode(),
                e.errorType(), e.errorMessage());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }
}
