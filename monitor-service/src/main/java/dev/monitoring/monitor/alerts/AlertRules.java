package dev.monitoring.monitor.alerts;

import dev.monitoring.model.LogText;
import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.checks.CheckStates;
import dev.monitoring.monitor.checks.CheckStore;
import dev.monitoring.monitor.freshness.FreshnessQueries;
import dev.monitoring.monitor.freshness.FreshnessRow;
import dev.monitoring.monitor.groups.GroupStates;
import dev.monitoring.monitor.ingest.stream.StreamLag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The alert rules, each a query over the stored errors (or the freshness table, or the stream inspector) returning
 * the conditions that hold now. Each rule is evaluated on its own by the {@link AlertEngine}, so one that throws
 * cannot hide what the others found.
 */
@ApplicationScoped
public class AlertRules {
    /** What an alert quotes of an error message: enough to recognise it, never a 64 KiB payload. */
    static final int SAMPLE_CHARS = 300;
    /** Errors of ignored groups are stored and counted, but no rule that counts errors sees them. */
    static final String NOT_IGNORED = "fingerprint NOT IN (SELECT fingerprint FROM monitor.error_groups WHERE state = 'ignored')";

    private static final String BY_GROUP = """
            SELECT fingerprint, count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen,
                   (array_agg(left(coalesce(error_type, 'Error') || ': ' || coalesce(error_message, ''), %d)
                        ORDER BY received_at DESC))[1] AS sample,
                   (array_agg(category ORDER BY received_at DESC))[1] AS category,
                   (array_agg(symbol ORDER BY received_at DESC))[1] AS symbol
            FROM monitor.error_logs
            WHERE %s AND received_at >= now() - make_interval(secs => $1) AND %s
            GROUP BY fingerprint""".formatted(SAMPLE_CHARS, "%s", NOT_IGNORED);

    private final Pool pool;
    private final AlertsConfig config;
    private final FreshnessQueries freshness;
    private final StreamLag streams;
    private final GroupStates groupStates;
    private final CheckStore checks;

    public AlertRules(Pool pool, AlertsConfig config, FreshnessQueries freshness, StreamLag streams, GroupStates groupStates,
                      CheckStore checks) {
        this.groupStates = groupStates;
        this.checks = checks;
        this.pool = pool;
        this.config = config;
        this.freshness = freshness;
        this.streams = streams;
    }

    /** One rule: its name (the {@code rule} of its alerts) and what holds now. */
    public record Rule(String name, Supplier<Uni<List<AlertCondition>>> conditions) {
    }

    public List<Rule> all() {
        // the checks are judged once per round, for all five of their rules
        Uni<List<CheckStates.Problem>> checkProblems = Uni.createFrom().item(checks::problems).memoize().indefinitely();
        List<Rule> all = new ArrayList<>(List.of(
                new Rule("critical_error", this::criticalErrors),
                new Rule("database_error", this::databaseErrors),
                new Rule("error_rate", this::errorRate),
                new Rule("category_burst", this::categoryBursts),
                new Rule("pattern_failures", this::patternFailures),
                new Rule("job_stale", this::staleJobs),
                new Rule("job_failed", this::failedJobs),
                new Rule("run_will_be_late", this::lateRuns),
                new Rule("stream_gap", this::streamGaps),
                new Rule("regression", this::regressions),
                new Rule("group_reopened", this::reopenedGroups)));
        for (String rule : CheckStates.RULES) {
            all.add(new Rule(rule, () -> checkProblems.map(problems -> problems.stream().filter(p -> p.rule().equals(rule))
                    .map(AlertRules::checkProblem).toList())));
        }
        return all;
    }

    /** A check's problem; its recovery is the alert's resolve. */
    static AlertCondition checkProblem(CheckStates.Problem p) {
        return new AlertCondition(p.rule(), p.rule() + ":" + p.check(), p.severity(), p.message(), 1, p.since(), p.since())
                .with("job", p.check()).with("check", p.check());
    }

    private Uni<List<AlertCondition>> criticalErrors() {
        return query(BY_GROUP.formatted("severity = 'critical'"), Tuple.of(seconds(config.criticalWindow())), r ->
                condition("critical_error", "critical_error:" + r.getString("fingerprint"), "critical",
                        "Critical error: " + r.getString("sample"), r)
                        .with("category", r.getString("category")).with("symbol", r.getString("symbol")));
    }

    private Uni<List<AlertCondition>> databaseErrors() {
        return query(BY_GROUP.formatted("category = 'database'"), Tuple.of(seconds(config.databaseWindow())), r ->
                condition("database_error", "database_error:" + r.getString("fingerprint"), "error",
                        "Database error: " + r.getString("sample"), r).with("category", "database"));
    }

    private Uni<List<AlertCondition>> errorRate() {
        String sql = """
                SELECT count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen FROM monitor.error_logs
                WHERE received_at >= now() - make_interval(secs => $1) AND %s HAVING count(*) > $2""".formatted(NOT_IGNORED);
        return query(sql, Tuple.of(seconds(config.errorRateWindow()), config.errorRateThreshold()), r ->
                condition("error_rate", "error_rate", "error", r.getLong("n") + " errors within "
                        + config.errorRateWindow().toSeconds() + " s (threshold " + config.errorRateThreshold() + ")", r));
    }

    private Uni<List<AlertCondition>> categoryBursts() {
        String sql = """
                SELECT category, count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen
                FROM monitor.error_logs WHERE received_at >= now() - make_interval(secs => $1) AND %s
                GROUP BY category HAVING count(*) > $2""".formatted(NOT_IGNORED);
        return query(sql, Tuple.of(seconds(config.categoryBurstWindow()), config.categoryBurstThreshold()), r ->
                condition("category_burst", "category_burst:" + r.getString("category"), "warning",
                        r.getLong("n") + " '" + r.getString("category") + "' errors within "
                                + config.categoryBurstWindow().toSeconds() + " s (threshold " + config.categoryBurstThreshold() + ")", r)
                        .with("category", r.getString("category")));
    }

    private Uni<List<AlertCondition>> patternFailures() {
        String sql = """
                SELECT symbol, count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen
                FROM monitor.error_logs WHERE category = 'pattern' AND symbol IS NOT NULL
                  AND received_at >= now() - make_interval(secs => $1) AND %s
                GROUP BY symbol HAVING count(*) > $2""".formatted(NOT_IGNORED);
        return query(sql, Tuple.of(seconds(config.patternFailuresWindow()), config.patternFailuresThreshold()), r ->
                condition("pattern_failures", "pattern_failures:" + r.getString("symbol"), "warning",
                        r.getLong("n") + " pattern failures for " + r.getString("symbol") + " within "
                                + config.patternFailuresWindow().toSeconds() + " s (threshold " + config.patternFailuresThreshold() + ")", r)
                        .with("category", "pattern").with("symbol", r.getString("symbol")));
    }

    private Uni<List<AlertCondition>> staleJobs() {
        if (!config.staleJobs()) {
            return Uni.createFrom().item(List.of());
        }
        // only the stale rows are read, not the whole table every evaluation
        return freshness.stale().map(rows -> rows.stream().map(AlertRules::staleJob).toList());
    }

    static AlertCondition staleJob(FreshnessRow r) {
        Target target = new Target(r.job(), r.symbol(), r.timeframe());
        String age = r.stalenessSeconds() == null ? "" : " (" + ago(r.stalenessSeconds()) + ")";
        return new AlertCondition("job_stale", target.key("job_stale"), "warning",
                "Job " + target.name() + " is stale: last success " + (r.lastSuccessAt() == null ? "never" : r.lastSuccessAt()) + age,
                1, r.lastSuccessAt(), r.lastSuccessAt()).with("job", r.job()).with("symbol", r.symbol());
    }

    /**
     * A job's target in the keys and messages of its alerts. An untargeted job has neither symbol nor timeframe (null,
     * or empty in a freshness row): its key keeps their places empty and its name leaves them out.
     */
    record Target(String job, String symbol, String timeframe) {
        Target {
            symbol = Objects.requireNonNullElse(symbol, "");
            timeframe = Objects.requireNonNullElse(timeframe, "");
        }

        String key(String rule) {
            return rule + ":" + job + "|" + symbol + "|" + timeframe;
        }

        String name() {
            return job + (symbol.isEmpty() ? "" : " " + symbol) + (timeframe.isEmpty() ? "" : " " + timeframe);
        }
    }

    /**
     * A target whose latest attempt failed, of a job no check watches: a script elsewhere that reports its runs on the
     * executions channel (a check's {@code check_failed} covers the jobs it watches, the runner's among them, with
     * their retries). Resolved by the target's next success; the partial index freshness_failed_idx (V15) keeps the
     * read to the failed rows.
     */
    private Uni<List<AlertCondition>> failedJobs() {
        if (!config.failedJobs()) {
            return Uni.createFrom().item(List.of());
        }
        String sql = """
                SELECT f.job, f.symbol, f.timeframe, f.last_attempt_at, f.last_error_message FROM monitor.freshness f
                WHERE f.last_status = 'failed' AND NOT EXISTS (SELECT 1 FROM monitor.checks c WHERE c.name = f.job)""";
        return query(sql, Tuple.tuple(), r -> failedJob(new Target(r.getString("job"), r.getString("symbol"),
                r.getString("timeframe")), Rows.instant(r, "last_attempt_at"), r.getString("last_error_message")));
    }

    static AlertCondition failedJob(Target target, Instant at, String error) {
        String why = error == null || error.isBlank() ? "" : ": " + error;
        return new AlertCondition("job_failed", target.key("job_failed"), "error", "Job " + target.name() + " failed" + why,
                1, at, at).with("job", target.job()).with("symbol", target.symbol());
    }

    /**
     * How long ago, in the unit a person reads at a glance: a job stale after a few minutes (a per-job threshold) said
     * "0 h ago" for its first hour.
     */
    static String ago(long seconds) {
        return span(seconds) + " ago";
    }

    /** A length of time in the unit a person reads at a glance: 90 s, 5 min, 3 h, 2 d. */
    static String span(long seconds) {
        long s = Math.max(0, seconds);
        if (s < 120) {
            return s + " s";
        }
        if (s < 120 * 60) {
            return s / 60 + " min";
        }
        if (s < 48 * 3600) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " d";
    }

    /**
     * A batch run still going that, at the pace it has kept so far, finishes after its deadline (its runner's next
     * scheduled run, or a configured limit), or is past it already: said while there is still time to act.
     */
    private Uni<List<AlertCondition>> lateRuns() {
        String sql = """
                SELECT execution_key, started_at, deadline, total_jobs,
                       coalesce(successful_jobs, 0) + coalesce(failed_jobs, 0) AS done
                FROM monitor.executions
                WHERE kind = 'run' AND status = 'running' AND deadline IS NOT NULL AND started_at IS NOT NULL""";
        Instant now = Instant.now();
        return pool.query(sql).execute().map(rows -> {
            List<AlertCondition> late = new ArrayList<>();
            for (Row r : rows) {
                lateRun(r.getString("execution_key"), Rows.instant(r, "started_at"), Rows.instant(r, "deadline"),
                        r.getInteger("total_jobs"), r.getInteger("done"), now).ifPresent(late::add);
            }
            return late;
        });
    }

    static Optional<AlertCondition> lateRun(String run, Instant started, Instant deadline,
                                                      Integer total, int done, Instant now) {
        Optional<Instant> finish = projectedFinish(started, now, total, done);
        String progress = " (" + done + " of " + (total == null ? "?" : total) + " items done after "
                + span(Duration.between(started, now).toSeconds()) + ")";
        String message;
        if (now.isAfter(deadline)) {
            message = "Batch run " + run + " is still going past its deadline " + deadline + progress;
        } else if (finish.isPresent() && finish.get().isAfter(deadline)) {
            message = "Batch run " + run + " will finish around " + finish.get().truncatedTo(ChronoUnit.SECONDS)
                    + ", after its deadline " + deadline + progress;
        } else {
            return Optional.empty();
        }
        return Optional.of(new AlertCondition("run_will_be_late", "run_will_be_late:" + run, "warning", message, 1,
                started, now).with("job", "batch-run"));
    }

    /** When a run finishes if it keeps the pace of its finished items; empty before the first one finishes. */
    static Optional<Instant> projectedFinish(Instant started, Instant now, Integer total, int done) {
        if (total == null || total <= 0 || done <= 0) {
            return Optional.empty();
        }
        if (done >= total) {
            return Optional.of(now);
        }
        long elapsedMs = Math.max(0, Duration.between(started, now).toMillis());
        return Optional.of(started.plusMillis(Math.round(elapsedMs * ((double) total / done))));
    }

    /** Events trimmed from a stream before any monitor stored them: lost for good, so it is said loudly. */
    private Uni<List<AlertCondition>> streamGaps() {
        return Uni.createFrom().item(() -> streams.gapsSince(Instant.now().minus(config.streamGapWindow())).stream()
                .map(g -> new AlertCondition("stream_gap", "stream_gap:" + g.stream(), "critical",
                        g.events() + " events were trimmed from " + g.stream() + " before the monitors stored them "
                                + "(monitors down or too slow for the stream's MAXLEN): they are lost", g.events(), g.firstSeen(), g.lastSeen()))
                .toList());
    }

    /** A resolved group that got a new error: one alert per regression, until someone acts on the group again. */
    private Uni<List<AlertCondition>> regressions() {
        return groupStates.regressed().map(groups -> groups.stream().map(g -> new AlertCondition("regression",
                "regression:" + g.fingerprint(), "error",
                "Regression: " + groupTitle(g) + " is back after it was resolved at " + g.resolvedAt(),
                1, g.stateChangedAt(), g.lastSeen()).with("category", g.category()).with("job", g.operation())).toList());
    }

    /** An ignored group whose condition was met: one alert, until someone acts on the group again. */
    private Uni<List<AlertCondition>> reopenedGroups() {
        return groupStates.reopened().map(groups -> groups.stream().map(g -> new AlertCondition("group_reopened",
                "group_reopened:" + g.fingerprint(), "warning",
                "Ignored error group is back: " + groupTitle(g),
                1, g.reopenedAt(), g.lastSeen()).with("category", g.category()).with("job", g.operation())).toList());
    }

    private static String groupTitle(ErrorGroup g) {
        return LogText.safe((g.type() == null ? "Error" : g.type()) + ": " + g.message(), SAMPLE_CHARS);
    }

    private Uni<List<AlertCondition>> query(String sql, Tuple params, Function<Row, AlertCondition> toCondition) {
        return pool.preparedQuery(sql).execute(params).map((RowSet<Row> rows) -> {
            List<AlertCondition> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(toCondition.apply(r));
            }
            return list;
        });
    }

    private static AlertCondition condition(String rule, String key, String severity, String message, Row r) {
        return new AlertCondition(rule, key, severity, message, r.getLong("n"), Rows.instant(r, "first_seen"), Rows.instant(r, "last_seen"));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
