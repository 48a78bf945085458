package dev.monitoring.monitor.checks;

import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.LogText;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.monitoring.monitor.checks.CheckStore.utc;

/**
 * Records the signals of checks: a ping through the gateway ({@code /ping/{key}}, {@code /start}, {@code /fail},
 * {@code /{exit_code}}) or an execution event whose {@code job} is a check's name. Both end in the same rows, so a
 * crontab line with curl and one with redis-cli give the same result. A signal with a run id (a ping's {@code rid}, an
 * event's {@code execution_id}) counts once however often it arrives: both monitor replicas receive every pub/sub
 * event, and the stream may deliver one again.
 */
@ApplicationScoped
public class CheckSignals {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What a signal says: a run started, or finished well or badly. */
    public enum Kind { START, SUCCESS, FAIL }

    /**
     * One signal: {@code exitCode} for a finish given as an exit code, {@code durationMs} when the sender measured the
     * run itself (an execution event's duration_seconds), {@code via} http or event.
     */
    public record Signal(Kind kind, Integer exitCode, String rid, String output, Long durationMs, String via) {
        /** The signal of {@code /ping/{key}/{what}}: empty (success), start, fail, or an exit code (0 is success). */
        public static Optional<Signal> ofPing(String what, String rid, String output) {
            if (what == null || what.isEmpty()) {
                return Optional.of(new Signal(Kind.SUCCESS, null, rid, output, null, "http"));
            }
            switch (what) {
                case "start":
                    return Optional.of(new Signal(Kind.START, null, rid, output, null, "http"));
                case "fail":
                    return Optional.of(new Signal(Kind.FAIL, null, rid, output, null, "http"));
                default:
                    if (!what.matches("\\d{1,3}") || Integer.parseInt(what) > 255) {
                        return Optional.empty();
                    }
                    int code = Integer.parseInt(what);
                    return Optional.of(new Signal(code == 0 ? Kind.SUCCESS : Kind.FAIL, code, rid, output, null, "http"));
            }
        }
    }

    /** A key that auto-provisioning takes: as long as a secret, in the alphabet of the keys checks get. */
    private static final Pattern PROVISIONABLE_KEY = Pattern.compile("[A-Za-z0-9_-]{16,100}");

    private final Pool pool;
    private final CheckClock clock;
    private final ChecksConfig config;
    private final CheckNews news;
    private final CheckStore store;

    public CheckSignals(Pool pool, CheckClock clock, ChecksConfig config, CheckNews news, CheckStore store) {
        this.store = store;
        this.news = news;
        this.pool = pool;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Records a ping; the name of the check whose key it is, empty when no check has this key (and auto-provisioning did
     * not make one for it).
     */
    public Optional<String> ping(String key, Signal signal, String name) {
        Optional<String> check = checkOf(key);
        if (check.isEmpty() && config.autoProvision().enabled()) {
            check = provision(key, name);
        }
        check.ifPresent(c -> record(c, signal));
        return check;
    }

    private Optional<String> checkOf(String key) {
        for (Row r : pool.preparedQuery("SELECT name FROM monitor.checks WHERE ping_key = $1").execute(Tuple.of(key))
                .await().atMost(TIMEOUT)) {
            return Optional.of(r.getString("name"));
        }
        return Optional.empty();
    }

    /**
     * A check for a key no check has: named as the ping says ({@code ?name=}) or after a hash of the key (never the key,
     * which viewers must not see), expecting a ping every auto-provision period. Only keys long enough to be secrets
     * qualify, so a mistyped key of a real check is not made a check of its own, and only so many checks are made this
     * way: anyone can ping.
     */
    private Optional<String> provision(String key, String name) {
        ChecksConfig.AutoProvision auto = config.autoProvision();
        if (!PROVISIONABLE_KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        String checkName = name != null && !name.isBlank() ? name : "ping-" + sha256(key).substring(0, 12);
        CheckSpec spec = CheckSpec.ofPeriod(checkName, auto.period().toSeconds(), auto.grace().toSeconds());
        Optional<String> made = store.provision(key, spec, auto.maxChecks());
        // another replica may have made it for the same first ping
        return made.isPresent() ? made : checkOf(key);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The job-level execution events of a stored batch whose job is a check. Called by the ingest after its commit and
     * before the stream entries are acknowledged, so a monitor that dies in between gets them again (and counts them
     * once). A failure here is logged and never fails the ingest: the events are stored whatever happens to checks.
     */
    public void executionsStored(List<ExecutionEvent> events) {
        try {
            Set<String> jobs = new HashSet<>();
            for (ExecutionEvent e : events) {
                if (signalKind(e) != null && e.job() != null) {
                    jobs.add(e.job());
                }
            }
            if (jobs.isEmpty()) {
                return;
            }
            Set<String> checks = new HashSet<>();
            for (Row r : pool.preparedQuery("SELECT name FROM monitor.checks WHERE name = ANY($1)")
                    .execute(Tuple.of(jobs.toArray(String[]::new))).await().atMost(TIMEOUT)) {
                checks.add(r.getString("name"));
            }
            for (ExecutionEvent e : events) {
                Kind kind = signalKind(e);
                if (kind != null && checks.contains(e.job())) {
                    Long ms = e.durationSeconds() == null ? null : Math.round(e.durationSeconds() * 1000);
                    record(e.job(), new Signal(kind, null, e.executionId(), e.errorMessage(), ms, "event"));
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("Execution events not counted as check signals (they are stored): %s", LogText.safe(String.valueOf(e.getMessage())));
        }
    }

    private static Kind signalKind(ExecutionEvent e) {
        if (e.event() == ExecutionEventType.JOB_STARTED) {
            return Kind.START;
        }
        if (e.event() == ExecutionEventType.JOB_SUCCEEDED) {
            return Kind.SUCCESS;
        }
        // an attempt that will be tried again is not the run's end: the run goes on under the same execution id
        return e.event() == ExecutionEventType.JOB_FAILED && !Boolean.TRUE.equals(e.willRetry()) ? Kind.FAIL : null;
    }

    /** Records one signal of a check in one transaction. */
    void record(String check, Signal signal) {
        Instant at = clock.now();
        String output = tail(signal.output());
        SqlConnection conn = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction tx = conn.begin().await().atMost(TIMEOUT);
            if (signal.kind() == Kind.START) {
                start(conn, check, signal, at);
            } else {
                finish(conn, check, signal, output, at);
            }
            tx.commit().await().atMost(TIMEOUT);
        } finally {
            conn.close().await().atMost(TIMEOUT);
        }
        news.tell(signal.kind().name().toLowerCase(java.util.Locale.ROOT), check);
    }

    private static void start(SqlConnection conn, String check, Signal signal, Instant at) {
        if (signal.rid() == null) {
            // a start without a run id begins the run again: the previous one never said how it ended
            run(conn, """
                    UPDATE monitor.check_runs SET finished_at = $2, outcome = 'abandoned'
                    WHERE check_name = $1 AND rid IS NULL AND finished_at IS NULL AND started_at IS NOT NULL""", check, utc(at));
        }
        RowSet<Row> inserted = run(conn, """
                INSERT INTO monitor.check_runs (check_name, rid, started_at, via) VALUES ($1, $2, $3, $4)
                ON CONFLICT (check_name, rid) WHERE rid IS NOT NULL DO NOTHING""", check, signal.rid(), utc(at), signal.via());
        if (inserted.rowCount() == 1) {
            run(conn, """
                    UPDATE monitor.checks SET last_ping_at = greatest(last_ping_at, $2), last_start_at = greatest(last_start_at, $2),
                        open_run_started_at = CASE WHEN last_finish_at IS NULL OR $2 > last_finish_at THEN $2
                                                   ELSE open_run_started_at END
                    WHERE name = $1""", check, utc(at));
        }
    }

    private static void finish(SqlConnection conn, String check, Signal signal, String output, Instant at) {
        String outcome = signal.kind() == Kind.SUCCESS ? "success" : "fail";
        RowSet<Row> open = signal.rid() != null
                ? run(conn, "SELECT id, started_at, finished_at FROM monitor.check_runs WHERE check_name = $1 AND rid = $2 FOR UPDATE",
                        check, signal.rid())
                : run(conn, """
                        SELECT id, started_at, finished_at FROM monitor.check_runs
                        WHERE check_name = $1 AND rid IS NULL AND finished_at IS NULL AND started_at IS NOT NULL
                        ORDER BY id DESC LIMIT 1 FOR UPDATE""", check);
        Long duration = signal.durationMs();
        if (open.rowCount() == 1) {
            Row run = open.iterator().next();
            if (run.getOffsetDateTime("finished_at") != null) {
                return; // this run's finish is already counted
            }
            if (duration == null) {
                duration = Duration.between(run.getOffsetDateTime("started_at").toInstant(), at).toMillis();
            }
            run(conn, "UPDATE monitor.check_runs SET finished_at = $2, outcome = $3, exit_code = $4, duration_ms = $5, output = $6 WHERE id = $1",
                    run.getLong("id"), utc(at), outcome, signal.exitCode(), duration, output);
        } else if (run(conn, """
                INSERT INTO monitor.check_runs (check_name, rid, finished_at, outcome, exit_code, duration_ms, output, via)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (check_name, rid) WHERE rid IS NOT NULL DO NOTHING""",
                check, signal.rid(), utc(at), outcome, signal.exitCode(), duration, output, signal.via()).rowCount() == 0) {
            return; // another replica recorded the same finish first
        }
        // a finish ends what counts as the open run (a run started before it and still going is no longer watched)
        run(conn, """
                UPDATE monitor.checks SET last_ping_at = greatest(last_ping_at, $2), last_finish_at = $2, last_outcome = $3,
                    last_exit_code = $4, last_duration_ms = $5, open_run_started_at = NULL,
                    recent_durations_ms = CASE WHEN $5::bigint IS NULL THEN recent_durations_ms
                        ELSE (recent_durations_ms || $5::bigint)[greatest(1, cardinality(recent_durations_ms) - 19):] END
                WHERE name = $1 AND (last_finish_at IS NULL OR last_finish_at <= $2)""", check, utc(at), outcome, signal.exitCode(), duration);
    }

    private String tail(String output) {
        if (output == null || output.isEmpty()) {
            return null;
        }
        String clean = output.replace('\0', ' ');
        int max = config.maxOutputChars();
        return clean.length() <= max ? clean : clean.substring(clean.length() - max);
    }

    private static RowSet<Row> run(SqlConnection conn, String sql, Object... params) {
        return conn.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().atMost(TIMEOUT);
    }
}
