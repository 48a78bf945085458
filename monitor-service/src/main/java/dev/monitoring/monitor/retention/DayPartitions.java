package dev.monitoring.monitor.retention;

import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day partitions of {@code monitor.error_logs} (migration V12) and {@code monitor.executions} (V13): each UTC
 * day's partition is made days ahead, so rows land in their day rather than in the table's {@code _default}
 * partition, and retention drops a day once all of it is older than the cut-off, instead of deleting its rows one by
 * one.
 *
 * <p>Both take a short lock on the table; each waits at most {@link #LOCK_WAIT} for it (a long query holding the
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
    /** The tables partitioned by the UTC day of their received_at. */
    public static final List<String> TABLES = List.of("error_logs", "executions");
    private static final Pattern NAME = Pattern.compile("(\\w+)_p(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final Pool pool;
    private final Heartbeat heartbeat;
    /** Today's or tomorrow's partitions missing after the last run, with why: the self-watch raises them. */
    private volatile List<Missing> missingSoon = List.of();

    /** A partition that could not be made, and PostgreSQL's reason. */
    public record Missing(String table, LocalDate day, String reason) {
        public String partition() {
            return name(table, day);
        }
    }

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

    /**
     * Makes the partitions of yesterday to {@link #DAYS_AHEAD} days after {@code today} that are missing, of every
     * table; returns the names of those made.
     */
    public List<String> makeAhead(LocalDate today) {
        List<String> made = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        for (String table : TABLES) {
            List<LocalDate> existing = days(table);
            for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(DAYS_AHEAD)); day = day.plusDays(1)) {
                if (existing.contains(day)) {
                    continue;
                }
                String refused = tryMake(table, day);
                if (refused == null) {
                    made.add(name(table, day));
                } else if (!day.isBefore(today) && !day.isAfter(today.plusDays(1))) {
                    missing.add(new Missing(table, day, refused));
                }
            }
        }
        missingSoon = List.copyOf(missing);
        return made;
    }

    /**
     * Today's or tomorrow's partitions the last run could not make, and why. Nothing is lost (their rows go to the
     * default partition), but retention must then delete them row by row: the self-watch says so.
     */
    public List<Missing> missingSoon() {
        return missingSoon;
    }

    /** Makes one day's partition of every table; false (and a warning) when one cannot be made now. */
    public boolean make(LocalDate day) {
        boolean all = true;
        for (String table : TABLES) {
            all &= tryMake(table, day) == null;
        }
        return all;
    }

    /** Null when the day has its partition now, else why PostgreSQL refused it (also logged as a warning). */
    private String tryMake(String table, LocalDate day) {
        String sql = "CREATE TABLE IF NOT EXISTS monitor." + name(table, day) + " PARTITION OF monitor." + table
                + " FOR VALUES FROM ('" + start(day) + "') TO ('" + start(day.plusDays(1)) + "')";
        try {
            locked(sql);
            return null;
        } catch (RuntimeException e) {
            String reason = LogText.safe(String.valueOf(e.getMessage()), 300);
            Log.warnf("Day partition %s not made (%s): its rows go to %s_default until it is; retrying in an hour",
                    name(table, day), reason, table);
            return reason;
        }
    }

    /** Drops the days that ended at or before {@code cutoff}, of every table; returns the partitions dropped. */
    public List<String> dropEndedBefore(Instant cutoff) {
        List<String> dropped = new ArrayList<>();
        for (String table : TABLES) {
            for (LocalDate day : days(table)) {
                if (!start(day.plusDays(1)).isAfter(cutoff)) {
                    try {
                        locked("DROP TABLE IF EXISTS monitor." + name(table, day));
                        dropped.add(name(table, day));
                    } catch (RuntimeException e) {
                        Log.warnf("Day partition %s not dropped (%s); retrying at the next retention run", name(table, day),
                                LogText.safe(e.getMessage()));
                    }
                }
            }
        }
        return dropped;
    }

    /** The days on which the table has a partition, oldest first. */
    public List<LocalDate> days(String table) {
        List<LocalDate> days = new ArrayList<>();
        for (Row r : pool.preparedQuery("""
                        SELECT c.relname FROM pg_inherits i
                        JOIN pg_class c ON c.oid = i.inhrelid
                        JOIN pg_class p ON p.oid = i.inhparent
                        JOIN pg_namespace n ON n.oid = p.relnamespace
                        WHERE n.nspname = 'monitor' AND p.relname = $1""")
                .execute(Tuple.of(table)).await().atMost(STATEMENT_WAIT)) {
            Matcher m = NAME.matcher(r.getString(0));
            if (m.matches() && m.group(1).equals(table)) {
                days.add(LocalDate.parse(m.group(2), DAY));
            }
        }
        days.sort(null);
        return days;
    }

    static String name(String table, LocalDate day) {
        return table + "_p" + DAY.format(day);
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
