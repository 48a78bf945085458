package dev.monitoring.runner.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of runs in the runs API (snake_case, like the events); the names are the contract. */
final class RunViews {
    private RunViews() {
    }

    /** How many jobs (targets) a run has, has completed and has seen fail. */
    record JobCounts(int total, int completed, int failed) {
    }

    /**
     * The live progress of a run, as {@code GET /api/runs/current} shows it and as the replica running it shares it
     * in Redis for the others; a run whose owner has not shared anything yet has no start and no counts.
     */
    record Progress(String status, @JsonProperty("batch_run_id") String batchRunId,
                    @JsonProperty("started_at") String startedAt,
                    @JsonProperty("elapsed_seconds") Double elapsedSeconds,
                    JobCounts jobs,
                    @JsonProperty("current_job") String currentJob,
                    @JsonProperty("current_portfolio") String currentPortfolio,
                    @JsonProperty("progress_percent") double progressPercent) {

        static Progress of(BatchRun run) {
            return new Progress("running", run.id(), run.startedAt().toString(),
                    Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0,
                    new JobCounts(run.total(), run.completed(), run.failed()), run.currentJob(), run.currentTarget(),
                    run.progressPercent());
        }

        static Progress startingUp(String runId) {
            return new Progress("running", runId, null, null, new JobCounts(0, 0, 0), null, null, 0.0);
        }

        Progress elapsedUntil(Instant now) {
            if (startedAt == null) {
                return this;
            }
            try {
                return new Progress(status, batchRunId, startedAt, Duration.between(Instant.parse(startedAt), now).toMillis() / 1000.0,
                        jobs, currentJob, currentPortfolio, progressPercent);
            } catch (java.time.format.DateTimeParseException e) {
                return this; // keep the owner's last figure
            }
        }
    }

    /** {@code GET /api/runs/current} when no replica runs a batch. */
    record Idle(String status, String message) {
        static final Idle NOW = new Idle("idle", "No batch running");
    }

    /** A stored run in the history. */
    record Summary(@JsonProperty("batch_run_id") String batchRunId, String status, String trigger,
                   @JsonProperty("job_filter") String jobFilter,
                   @JsonProperty("started_at") String startedAt,
                   @JsonProperty("finished_at") String finishedAt,
                   @JsonProperty("duration_seconds") Double durationSeconds,
                   JobCounts jobs,
                   @JsonProperty("records_processed") long recordsProcessed,
                   String message) {

        static Summary of(RunRecord r) {
            return new Summary(r.id(), r.status(), r.trigger(), r.jobFilter(), text(r.startedAt()), text(r.finishedAt()),
                    seconds(r.startedAt(), r.finishedAt()), new JobCounts(r.total(), r.completed(), r.failed()), r.records(),
                    r.message());
        }
    }

    /** A stored run with the result of each of its executions ({@code GET /api/runs/{id}}): the summary's fields, then these. */
    record Detail(@JsonUnwrapped Summary summary, List<Result> results) {

        static Detail of(RunRecord r) {
            return new Detail(Summary.of(r), r.executions().stream().map(Result::of).toList());
        }
    }

    /** One execution of a run: a job on one target, its attempts and outcome. */
    record Result(@JsonProperty("execution_id") String executionId, String job, String symbol, String timeframe, String status,
                  int attempts,
                  @JsonProperty("started_at") String startedAt,
                  @JsonProperty("finished_at") String finishedAt,
                  @JsonProperty("duration_seconds") Double durationSeconds,
                  @JsonProperty("records_processed") Long recordsProcessed,
                  @JsonProperty("exit_code") Integer exitCode,
                  @JsonProperty("error_type") String errorType,
                  @JsonProperty("error_message") String errorMessage) {

        static Result of(RunRecord.ExecutionRecord e) {
            return new Result(e.id(), e.job(), e.target().symbol(), e.target().timeframe(), e.status(), e.attempts(),
                    text(e.startedAt()), text(e.finishedAt()), seconds(e.startedAt(), e.finishedAt()), e.records(), e.exitCode(),
                    e.errorType(), e.errorMessage());
        }
    }

    /** {@code GET /api/runs}: the newest runs. */
    record History(List<Summary> runs, int count, int limit) {
    }

    /** {@code POST /api/runs} accepted (202). */
    record Started(String status, @JsonProperty("batch_run_id") String batchRunId, @JsonProperty("poll_url") String pollUrl) {
    }

    /** {@code POST /api/runs} refused because a run is active (409). */
    record Conflict(String error, String reason, @JsonProperty("batch_run_id") String batchRunId, String hint) {
    }

    /** {@code POST /api/runs?job=} naming no job of the catalog (400). */
    record UnknownJob(String error, @JsonProperty("known_jobs") List<String> knownJobs) {
    }

    /** {@code POST /api/runs/current/cancel}: {@code cancelled}, or {@code cancelling} while another replica stops it. */
    record Cancel(String status, @JsonProperty("batch_run_id") String batchRunId) {
    }

    /** Every other error answer. */
    record Error(String error) {
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }
}
