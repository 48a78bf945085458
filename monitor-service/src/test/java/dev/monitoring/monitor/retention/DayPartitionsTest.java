package dev.monitoring.monitor.retention;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.RawPublish;
import io.quarkus.redis.datasource.RedisDataSource;
import dev.monitoring.monitor.selfwatch.SelfWatch;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * error_logs and executions by day (migrations V12, V13): days are made ahead, retention drops a day once all of it is
 * older than the cut-off, a day whose rows already sit in the default partition is left there, an error_id stays
 * stored once across days, and an execution stays one row in the day it was first seen.
 */
@QuarkusTest
class DayPartitionsTest {
    @Inject
    DayPartitions partitions;
    @Inject
    RetentionJob retention;
    @Inject
    Pool pool;
    @Inject
    SelfWatch selfWatch;
    @Inject
    RedisDataSource redis;
    @Inject
    ChannelsConfig channels;
    @Inject
    EventCodec codec;

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @BeforeEach
    @AfterEach
    void clean() {
        MonitorTables.truncateAll(pool);
        for (String table : DayPartitions.TABLES) {
            for (LocalDate day : partitions.days(table)) {
                if (day.isBefore(today.minusDays(1)) || day.isAfter(today.plusDays(DayPartitions.DAYS_AHEAD))) {
                    MonitorTables.execute(pool, "DROP TABLE monitor." + DayPartitions.name(table, day));
                }
            }
        }
        partitions.makeAhead(today);
    }

    @Test
    void yesterdayToThreeDaysAheadAreMadeAndRowsLandInTheirDay() {
        MonitorTables.execute(pool, "DROP TABLE monitor." + DayPartitions.name("error_logs", today.plusDays(2)));
        MonitorTables.execute(pool, "DROP TABLE monitor." + DayPartitions.name("executions", today.plusDays(3)));

        assertThat(partitions.makeAhead(today)).containsExactly(DayPartitions.name("error_logs", today.plusDays(2)),
                DayPartitions.name("executions", today.plusDays(3)));

        for (String table : DayPartitions.TABLES) {
            assertThat(partitions.days(table)).as(table).containsExactly(today.minusDays(1), today, today.plusDays(1),
                    today.plusDays(2), today.plusDays(3));
        }
        assertThat(partitions.makeAhead(today)).as("made once").isEmpty();
        insertError("now", Instant.now());
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor." + DayPartitions.name("error_logs", today)
                + " WHERE error_id = 'now'")).isEqualTo(1);
        publish(ExecutionEvent.job(ExecutionEventType.JOB_STARTED, "exec-now", "day-job").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor."
                + DayPartitions.name("executions", today) + " WHERE execution_key = 'exec-now'") == 1);
    }

    /**
     * A job started yesterday (a long backfill) and finishing today: its second event updates the row of the day it
     * was first seen in, through the key's claim, instead of starting a second row in today's partition.
     */
    @Test
    void anExecutionFirstSeenYesterdayStaysOneRowInYesterdaysPartitionWhenItFinishesToday() {
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS);
        publish(ExecutionEvent.job(ExecutionEventType.JOB_STARTED, "exec-overnight", "backfill").symbol("AAPL")
                .timestamp(yesterday).startedAt(yesterday).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool,
                "SELECT count(*) FROM monitor.executions WHERE execution_key = 'exec-overnight'") == 1);
        // as if the monitor had seen it yesterday: the claim and the row move to yesterday's day
        MonitorTables.execute(pool, "UPDATE monitor.execution_keys SET received_at = $1 WHERE execution_key = 'exec-overnight'",
                yesterday.atOffset(ZoneOffset.UTC));
        MonitorTables.execute(pool, "UPDATE monitor.executions SET received_at = $1 WHERE execution_key = 'exec-overnight'",
                yesterday.atOffset(ZoneOffset.UTC));
        String inYesterday = "SELECT count(*) FROM monitor." + DayPartitions.name("executions", today.minusDays(1))
                + " WHERE execution_key = 'exec-overnight'";
        assertThat(MonitorTables.count(pool, inYesterday)).isEqualTo(1);

        publish(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, "exec-overnight", "backfill").symbol("AAPL")
                .recordsProcessed(42L).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool,
                "SELECT count(*) FROM monitor.executions WHERE execution_key = 'exec-overnight' AND status = 'completed'") >= 1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions WHERE execution_key = 'exec-overnight'"))
                .as("one row per execution").isEqualTo(1);
        assertThat(MonitorTables.count(pool, inYesterday + " AND status = 'completed' AND records_processed = 42"
                + " AND started_at IS NOT NULL")).as("updated where it was, its start kept").isEqualTo(1);
    }

    @Test
    void twoReplicasMakingTheSameDaysAtOnceBothSucceedAndMakeEachOnce() throws Exception {
        List<LocalDate> days = List.of(today.plusDays(20), today.plusDays(21), today.plusDays(22));
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Callable<List<Boolean>> replica = () -> {
                go.await();
                return days.stream().map(partitions::make).toList();
            };
            Future<List<Boolean>> first = replicas.submit(replica);
            Future<List<Boolean>> second = replicas.submit(replica);
            go.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).as("first replica").containsOnly(true);
            assertThat(second.get(30, TimeUnit.SECONDS)).as("second replica").containsOnly(true);
        } finally {
            replicas.shutdownNow();
        }
        for (String table : DayPartitions.TABLES) {
            assertThat(partitions.days(table)).as(table).containsSubsequence(days);
        }
    }

    @Test
    void retentionDropsADayOnlyOnceAllOfItIsOlderThanTheMaxAge() {
        LocalDate gone = today.minusDays(40);
        LocalDate straddling = today.minusDays(30); // the 30-day cut-off falls inside this day
        assertThat(partitions.make(gone)).isTrue();
        assertThat(partitions.make(straddling)).isTrue();
        insertError("day-40", gone.atTime(12, 0).toInstant(ZoneOffset.UTC));
        insertError("day-30-early", straddling.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(1));
        insertError("today", Instant.now());
        insertExecution("exec-day-40", gone.atTime(12, 0).toInstant(ZoneOffset.UTC));
        insertExecution("exec-day-30-early", straddling.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(1));

        var purged = retention.purge();

        assertThat(purged).as("the day's partition of each table").containsEntry(RetentionJob.DAYS_DROPPED, 2L);
        for (String table : DayPartitions.TABLES) {
            assertThat(partitions.days(table)).as(table).doesNotContain(gone).contains(straddling, today);
        }
        assertThat(ids()).as("a day goes whole, once all of it is past the cut-off")
                .isEqualTo("day-30-early,today");
        assertThat(text("SELECT string_agg(execution_key, ',' ORDER BY execution_key) FROM monitor.executions"))
                .isEqualTo("exec-day-30-early");
    }

    @Test
    void aDayWhoseRowsAlreadySitInTheDefaultPartitionStaysThereAndItsRowsAgeOutOneByOne() {
        LocalDate late = today.plusDays(10); // a clock ahead, or partitions not made for days: no partition yet
        insertError("early-arrival", late.atTime(6, 0).toInstant(ZoneOffset.UTC));

        assertThat(partitions.make(late)).as("PostgreSQL refuses a partition whose rows sit in the default").isFalse();

        assertThat(partitions.days("error_logs")).doesNotContain(late);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs_default WHERE error_id = 'early-arrival'"))
                .as("kept, in the default partition").isEqualTo(1);
        insertError("still-stored", late.atTime(7, 0).toInstant(ZoneOffset.UTC));
        assertThat(ids()).isEqualTo("early-arrival,still-stored");
    }

    @Test
    void tomorrowLeftWithoutAPartitionIsASelfAlertUntilItHasOne() {
        LocalDate tomorrow = today.plusDays(1);
        MonitorTables.execute(pool, "DROP TABLE monitor." + DayPartitions.name("error_logs", tomorrow));
        insertError("ahead-of-its-partition", tomorrow.atTime(1, 0).toInstant(ZoneOffset.UTC));

        partitions.makeAhead(today);

        assertThat(partitions.missingSoon()).singleElement().satisfies(missing -> {
            assertThat(missing.table()).isEqualTo("error_logs");
            assertThat(missing.day()).isEqualTo(tomorrow);
            assertThat(missing.reason()).contains("default");
        });
        var condition = selfWatch.check().stream().filter(c -> c.rule().equals("day_partition_missing")).findFirst();
        assertThat(condition).as("raised by the self-watch").isPresent();
        assertThat(condition.get().severity()).isEqualTo("warning");
        assertThat(condition.get().message()).contains(tomorrow.toString(), "error_logs_default");

        MonitorTables.execute(pool, "DELETE FROM monitor.error_logs_default WHERE error_id = 'ahead-of-its-partition'");
        partitions.makeAhead(today);

        assertThat(partitions.missingSoon()).isEmpty();
        assertThat(selfWatch.check()).noneMatch(c -> c.rule().equals("day_partition_missing"));
    }

    @Test
    void aClaimOutlivesItsRowsDayAndGoesADayAfterTheCutOff() {
        Instant cutoff = Instant.now().minus(30, ChronoUnit.DAYS);
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_ids (error_id, received_at) VALUES
                ('claim-32-days', now() - interval '32 days'), ('claim-30-days-and-an-hour', now() - interval '30 days 1 hour')""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.execution_keys (kind, execution_key, received_at) VALUES
                ('job', 'claim-32-days', now() - interval '32 days'), ('job', 'claim-30-days-and-an-hour', now() - interval '30 days 1 hour')""");

        var purged = retention.purge();

        assertThat(purged).containsEntry("monitor.error_ids", 1L).containsEntry("monitor.execution_keys", 1L);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_ids WHERE error_id = 'claim-30-days-and-an-hour'"))
                .as("younger than the cut-off plus a day, %s", cutoff).isEqualTo(1);
    }

    private void insertError(String id, Instant receivedAt) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_logs (error_id, error_message, severity, category, fingerprint, occurred_at, received_at)
                VALUES ($1, 'm', 'error', 'unknown', 'fp', $2, $2)""", id, receivedAt.atOffset(ZoneOffset.UTC));
    }

    private void insertExecution(String key, Instant receivedAt) {
        MonitorTables.execute(pool, """
                WITH claim AS (INSERT INTO monitor.execution_keys (kind, execution_key, received_at) VALUES ('job', $1, $2))
                INSERT INTO monitor.executions (kind, execution_key, status, updated_at, received_at)
                VALUES ('job', $1, 'completed', $2, $2)""", key, receivedAt.atOffset(ZoneOffset.UTC));
    }

    private void publish(ExecutionEvent event) {
        RawPublish.publish(redis, channels.executions(), codec.encode(event));
    }

    private String text(String sql) {
        return pool.query(sql).execute().await().indefinitely().iterator().next().getString(0);
    }

    private String ids() {
        return pool.query("SELECT coalesce(string_agg(error_id, ',' ORDER BY error_id), '') FROM monitor.error_logs").execute()
                .await().indefinitely().iterator().next().getString(0);
    }
}
