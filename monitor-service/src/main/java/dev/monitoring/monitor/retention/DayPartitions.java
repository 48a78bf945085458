package dev.monitoring.monitor.retention;

import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day partitions of {@code monitor.error_logs} (migration V12): each UTC day's partition is made days ahead, so
 * rows land in their day rather than in {@code error_logs_default}, and retention drops a day once all of it is older
 * than the cut-off, instead of deleting its rows one by one.
 *
 * <p>Both take a short lock on error_logs; each waits at most {@link #LOCK_WAIT} for it (a long query holding the
 * table), then gives up until the next run, so ingest never queues long behind them. A day already holding rows in the
 * default partition (the monitor was down or its clock jumped) cannot get its partition: its rows stay in the default,
 * where retention deletes them row by row. Two replicas take turns through an advisory lock.
 */
@ApplicationScoped
@Startup
public class DayPartitions {
    static final int DAYS_AHEAD = 3;
    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    private static final Duration STATEMENT_WAIT = Duration.ofSeconds(20);
    private static final Duration EVERY = Duration.ofHours(1);
    private static final long ADVISORY_KEY = 0x6572726f72646179L; // "errorday"
    private static final Pattern NAME = Pattern.compile("error_logs_p(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final Pool pool;
    private final Heartbeat heartbeat;
    /** Today or tomorrow without a partition after the last run, with why: the self-watch raises it. */
    private volatile Map<LocalDate, String> missingSoon = Map.of();

    /** Made at start-up ({@link Startup}), so liveness knows the worker before its first run. */
    public DayPartitions(Pool pool, Heartbeats heartbeats) {
        this.pool = pool;
        this.heartbeat = heartbeats.register("day-partitions");
    }

    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledAhead() {
        heartbeat.beat();
        try {
            makeAhead(LocalDate.now(ZoneOffset.UTC));
        } finally {
            heartbeat.beat(EVERY);
        }
    }

    /** Makes the partitions of yesterday to {@link #DAYS_AHEAD} days after {@code today} that are missing. */
    public List<LocalDate> makeAhead(LocalDate today) {
        List<LocalDate> made = new ArrayList<>();
        Map<LocalDate, String> missing = new TreeMap<>();
        List<LocalDate> existing = days();
        for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(DAYS_AHEAD)); day = day.plusDays(1)) {
            if (existing.contains(day)) {
                continue;
            }
            String refused = tryMake(day);
            if (refused == null) {
                made.add(day);
            } else if (!day.isBefore(today) && !day.isAfter(today.plusDays(1))) {
                missing.put(day, refused);
            }
        }
        missingSoon = Map.copyOf(missing);
        return made;
    }

    /**
     * Today or tomorrow, when the last run left it without a partition, and why. Nothing is lost (its rows go to the
     * default partition), but retention must then delete them row by row: the self-watch says so.
     */
    public Map<LocalDate, String> missingSoon() {
        return missingSoon;
    }

    /** Makes one day's partition; false (and a warning) when it cannot be made now. */
    public boolean make(LocalDate day) {
        return tryMake(day) == null;
    }

    /** Null when the day has its partition now, else why PostgreSQL refused it (also logged as a warning). */
    private String tryMake(LocalDate day) {
        String sql = "CREATE TABLE IF NOT EXISTS monitor." + name(day) + " PARTITION OF monitor.error_logs FOR VALUES FROM ('"
                + start(day) + "') TO ('" + start(day.plusDays(1)) + "')";
        try {
            locked(sql);
            return null;
        } catch (RuntimeException e) {
            String reason = LogText.safe(String.valueOf(e.getMessage()), 300);
            Log.warnf("Day partition %s not made (%s): its rows go to error_logs_default until it is; retrying in an hour",
                    name(day), reason);
            return reason;
        }
    }

    /** Drops the days that ended at or before {@code cutoff}; returns the days dropped. */
    public List<LocalDate> dropEndedBefore(Instant cutoff) {
        List<LocalDate> dropped = new ArrayList<>();
        for (LocalDate day : days()) {
            if (!start(day.plusDays(1)).isAfter(cutoff)) {
                try {
                    locked("DROP TABLE IF EXISTS monitor." + name(day));
                    dropped.add(day);
                } catch (RuntimeException e) {
                    Log.warnf("Day partition %s not dropped (%s); retrying at the next retention run", name(day),
                            LogText.safe(e.getMessage()));
                }
            }
        }
        return dropped;
    }

    /** The days that have a partition, oldest first. */
    public List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        for (Row r : pool.query("""
                        SELECT c.relname FROM pg_inherits i
                        JOIN pg_class c ON c.oid = i.inhrelid
                        JOIN pg_class p ON p.oid = i.inhparent
                        JOIN pg_namespace n ON n.oid = p.relnamespace
                        WHERE n.nspname = 'monitor' AND p.relname = 'error_logs'""")
                .execute().await().atMost(STATEMENT_WAIT)) {
            Matcher m = NAME.matcher(r.getString(0));
            if (m.matches()) {
                days.add(LocalDate.parse(m.group(1), DAY));
            }
        }
        days.sort(null);
        return days;
    }

    static String name(LocalDate day) {
        return "error_logs_p" + DAY.format(day);
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private void locked(String ddl) {
        pool.withTransaction(conn -> conn.query("SET LOCAL lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'").execute()
                        .flatMap(x -> conn.query("SELECT pg_advisory_xact_lock(" + ADVISORY_KEY + ")").execute())
                        .flatMap(x -> conn.query(ddl).execute()))
                .await().atMost(STATEMENT_WAIT);
    }
}
