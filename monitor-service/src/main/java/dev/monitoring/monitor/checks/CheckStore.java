package dev.monitoring.monitor.checks;

import dev.monitoring.model.LogText;
import dev.monitoring.model.api.CheckSummary;
import dev.monitoring.model.api.CheckView;
import io.smallrye.mutiny.Uni;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The checks in PostgreSQL: made, replaced, paused and removed through the API, and read with their latest runs. */
@ApplicationScoped
public class CheckStore {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.Set<String> TROUBLE = java.util.Set.of("late", "down", "blocked");

    /** Every check: its definition and latest signals, its open run and last durations are all on its row. */
    static final String SELECT = "SELECT * FROM monitor.checks c";

    private final Pool pool;
    private final CheckClock clock;
    private final ChecksConfig config;

    public CheckStore(Pool pool, CheckClock clock, ChecksConfig config) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
    }

    /** Every check as the API shows it now, by name. */
    public List<CheckView> views() {
        List<Check> all = all();
        Map<String, CheckStates.Status> states = CheckStates.judge(all, clock.now(), config.durationAnomalyFactor());
        return all.stream().map(c -> view(c, states.get(c.name()))).toList();
    }

    public Optional<CheckView> view(String name) {
        return views().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The problems of every check now: what the alert rules of checks raise (and resolve once gone). */
    public List<CheckStates.Problem> problems() {
        return CheckStates.judge(all(), clock.now(), config.durationAnomalyFactor()).values().stream()
                .flatMap(s -> s.problems().stream()).toList();
    }

    List<Check> all() {
        return allAsync().await().atMost(TIMEOUT);
    }

    private Uni<List<Check>> allAsync() {
        return pool.query(SELECT + " ORDER BY c.name").execute().map(rows -> {
            List<Check> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(Check.of(r));
            }
            return out;
        });
    }

    /** The checks at a glance, for the freshness and scheduler-health answers; without blocking. */
    public Uni<CheckSummary> summary() {
        return allAsync().map(all -> {
            Map<String, CheckStates.Status> states = CheckStates.judge(all, clock.now(), config.durationAnomalyFactor());
            Map<String, Integer> byState = new TreeMap<>();
            List<CheckSummary.Trouble> trouble = new ArrayList<>();
            for (Check c : all) {
                CheckStates.Status s = states.get(c.name());
                byState.merge(s.state(), 1, Integer::sum);
                if (TROUBLE.contains(s.state())) {
                    trouble.add(new CheckSummary.Trouble(c.name(), s.state(), s.reason()));
                }
            }
            return new CheckSummary(all.size(), byState, trouble);
        });
    }

    /** Creates the check; false when one of this name exists. */
    boolean create(CheckSpec spec, String source) {
        Instant now = clock.now();
        RowSet<Row> rows = execute("""
                INSERT INTO monitor.checks (name, schedule, timezone, period_seconds, grace_seconds, max_runtime_seconds,
                    min_runtime_seconds, depends_on, ping_key, badge_key, source, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
                ON CONFLICT (name) DO NOTHING""",
                spec.name(), spec.schedule(), spec.timezone(), spec.periodSeconds(), spec.graceSeconds(), spec.maxRuntimeSeconds(),
                spec.minRuntimeSeconds(), spec.dependsOn().toArray(String[]::new), newKey(), newKey(), source, utc(now));
        if (rows.rowCount() == 1) {
            Log.infof("Check %s created (%s)", LogText.safe(spec.name()), describe(spec));
        }
        return rows.rowCount() == 1;
    }

    /**
     * Makes the checks a source declares ({@code file}: the checks file, {@code runner}: the runner's jobs) or brings
     * them up to date, and removes the checks of that source it no longer declares; a check of the same name from
     * elsewhere is left as it is. Returns the names left alone that way, and how many checks went.
     */
    Declared declare(List<CheckSpec> specs, String source) {
        Instant now = clock.now();
        Map<String, String> owners = new TreeMap<>();
        for (Row r : execute("SELECT name, source FROM monitor.checks WHERE name = ANY($1)",
                (Object) specs.stream().map(CheckSpec::name).toArray(String[]::new))) {
            owners.put(r.getString("name"), r.getString("source"));
        }
        List<String> leftAlone = new ArrayList<>();
        for (CheckSpec spec : specs) {
            if (owners.containsKey(spec.name()) && !owners.get(spec.name()).equals(source)) {
                leftAlone.add(spec.name());
                continue;
            }
            // unchanged checks are not written, so declaring again every minute costs a read
            execute("""
                    INSERT INTO monitor.checks AS c (name, schedule, timezone, period_seconds, grace_seconds, max_runtime_seconds,
                        min_runtime_seconds, depends_on, ping_key, badge_key, source, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
                    ON CONFLICT (name) DO UPDATE SET schedule = excluded.schedule, timezone = excluded.timezone,
                        period_seconds = excluded.period_seconds, grace_seconds = excluded.grace_seconds,
                        max_runtime_seconds = excluded.max_runtime_seconds, min_runtime_seconds = excluded.min_runtime_seconds,
                        depends_on = excluded.depends_on, updated_at = excluded.updated_at
                    WHERE c.source = excluded.source AND (c.schedule, c.timezone, c.period_seconds, c.grace_seconds,
                        c.max_runtime_seconds, c.min_runtime_seconds, c.depends_on) IS DISTINCT FROM (excluded.schedule,
                        excluded.timezone, excluded.period_seconds, excluded.grace_seconds, excluded.max_runtime_seconds,
                        excluded.min_runtime_seconds, excluded.depends_on)""",
                    spec.name(), spec.schedule(), spec.timezone(), spec.periodSeconds(), spec.graceSeconds(), spec.maxRuntimeSeconds(),
                    spec.minRuntimeSeconds(), spec.dependsOn().toArray(String[]::new), newKey(), newKey(), source, utc(now));
        }
        int removed = execute("DELETE FROM monitor.checks WHERE source = $1 AND NOT (name = ANY($2))",
                source, specs.stream().map(CheckSpec::name).toArray(String[]::new)).rowCount();
        return new Declared(leftAlone, removed);
    }

    /** What {@link #declare} did besides making and updating: the names another source has, and how many checks went. */
    record Declared(List<String> leftAlone, int removed) {
    }

    /**
     * Makes a check for a ping whose key no check has ({@code source} 'ping'), unless {@code max} checks were made so
     * already; empty when it was not made (the limit, or a check of that name exists).
     */
    Optional<String> provision(String key, CheckSpec spec, int max) {
        RowSet<Row> rows = execute("""
                INSERT INTO monitor.checks (name, period_seconds, grace_seconds, depends_on, ping_key, badge_key, source,
                    created_at, updated_at)
                SELECT $1, $2, $3, '{}', $4, $5, 'ping', $6, $6
                WHERE (SELECT count(*) FROM monitor.checks WHERE source = 'ping') < $7
                ON CONFLICT DO NOTHING""",
                spec.name(), spec.periodSeconds(), spec.graceSeconds(), key, newKey(), utc(clock.now()), max);
        if (rows.rowCount() == 1) {
            Log.infof("Check %s made by the first ping of its key (auto-provisioning)", LogText.safe(spec.name()));
            return Optional.of(spec.name());
        }
        return Optional.empty();
    }

    /** Replaces what the check expects (its signals and ping key stay); false when there is no such check. */
    boolean replace(CheckSpec spec) {
        return execute("""
                UPDATE monitor.checks SET schedule = $2, timezone = $3, period_seconds = $4, grace_seconds = $5,
                    max_runtime_seconds = $6, min_runtime_seconds = $7, depends_on = $8, updated_at = $9
                WHERE name = $1""",
                spec.name(), spec.schedule(), spec.timezone(), spec.periodSeconds(), spec.graceSeconds(), spec.maxRuntimeSeconds(),
                spec.minRuntimeSeconds(), spec.dependsOn().toArray(String[]::new), utc(clock.now())).rowCount() == 1;
    }

    /** The name and state now of the check with this badge key; empty when no check has it. */
    public Optional<CheckView> byBadgeKey(String key) {
        for (Row r : execute("SELECT name FROM monitor.checks WHERE badge_key = $1", key)) {
            return view(r.getString("name"));
        }
        return Optional.empty();
    }

    /** Where the check comes from (api, file, runner); empty when there is none of this name. */
    Optional<String> source(String name) {
        for (Row r : execute("SELECT source FROM monitor.checks WHERE name = $1", name)) {
            return Optional.of(r.getString("source"));
        }
        return Optional.empty();
    }

    boolean delete(String name) {
        return execute("DELETE FROM monitor.checks WHERE name = $1", name).rowCount() == 1;
    }

    boolean setPaused(String name, boolean paused) {
        return execute("UPDATE monitor.checks SET paused = $2, updated_at = $3 WHERE name = $1", name, paused, utc(clock.now()))
                .rowCount() == 1;
    }

    static CheckView view(Check c, CheckStates.Status s) {
        return new CheckView(c.name(), c.schedule(), c.timezone(), c.periodSeconds(), c.graceSeconds(), c.maxRuntimeSeconds(),
                c.minRuntimeSeconds(), c.dependsOn(), s.state(), s.reason(), c.paused(), c.pingKey(), null, c.badgeKey(), c.source(), c.createdAt(),
                c.lastPingAt(), c.lastStartAt(), c.lastFinishAt(), c.lastOutcome(), c.lastExitCode(), c.lastDurationMs(),
                s.nextExpectedAt(), recent(c.durationsMs()));
    }

    private static List<Long> recent(List<Long> durations) {
        return durations.size() <= 20 ? durations : durations.subList(durations.size() - 20, durations.size());
    }

    private static String describe(CheckSpec s) {
        return (s.schedule() != null ? "schedule '" + s.schedule() + "' " + s.timezone() : "every " + s.periodSeconds() + " s")
                + ", grace " + s.graceSeconds() + " s";
    }

    /** 128 random bits, URL-safe: the only secret of a ping URL (or of a badge, which shows only the state). */
    private static String newKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private RowSet<Row> execute(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().atMost(TIMEOUT);
    }

    static java.time.OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
