package dev.monitoring.monitor.retention;

import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.selfwatch.SelfWatch;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

/**
 * error_logs by day (migration V12): days are made ahead, retention drops a day once all of it is older than the
 * cut-off, a day whose rows already sit in the default partition is left there, and an error_id stays stored once
 * across days.
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

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @BeforeEach
    @AfterEach
    void clean() {
        MonitorTables.truncateAll(pool);
        for (LocalDate day : partitions.days()) {
            if (day.isBefore(today.minusDays(1)) || day.isAfter(today.plusDays(DayPartitions.DAYS_AHEAD))) {
                MonitorTables.execute(pool, "DROP TABLE monitor." + DayPartitions.name(day));
            }
        }
        partitions.makeAhead(today);
    }

    @Test
    void yesterdayToThreeDaysAheadAreMadeAndRowsLandInTheirDay() {
        MonitorTables.execute(pool, "DROP TABLE monitor." + DayPartitions.name(today.plusDays(2)));

        assertThat(partitions.makeAhead(today)).containsExactly(today.plusDays(2));

        assertThat(partitions.days()).containsExactly(today.minusDays(1), today, today.plusDays(1), today.plusDays(2),
                today.plusDays(3));
        assertThat(partitions.makeAhead(today)).as("made once").isEmpty();
        insertError("now", Instant.now());
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor." + DayPartitions.name(today) + " WHERE error_id = 'now'"))
                .isEqualTo(1);
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
        assertThat(partitions.days()).containsSubsequence(days);
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

        var purged = retention.purge();

        assertThat(purged).containsEntry(RetentionJob.DAYS_DROPPED, 1L);
        assertThat(partitions.days()).doesNotContain(gone).contains(straddling, today);
        assertThat(ids()).as("a day goes whole, once all of it is past the cut-off")
                .isEqualTo("day-30-early,today");
    }

    @Test
    void aDayWhoseRowsAlreadySitInTheDefaultPartitionStaysThereAndItsRowsAgeOutOneByOne() {
        LocalDate late = today.plusDays(10); // a clock ahead, or partitions not made for days: no partition yet
        insertError("early-arrival", late.atTime(6, 0).toInstant(ZoneOffset.UTC));

        assertThat(partitions.make(late)).as("PostgreSQL refuses a partition whose rows sit in the default").isFalse();

        assertThat(partitions.days()).doesNotContain(late);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs_default WHERE error_id = 'early-arrival'"))
                .as("kept, in the default partition").isEqualTo(1);
        insertError("still-stored", late.atTime(7, 0).toInstant(ZoneOffset.UTC));
        assertThat(ids()).isEqualTo("early-arrival,still-stored");
    }

    @Test
    void tomorrowLeftWithoutAPartitionIsASelfAlertUntilItHasOne() {
        LocalDate tomorrow = today.plusDays(1);
        MonitorTables.execute(pool, "DROP TABLE monitor." + DayPartitions.name(tomorrow));
        insertError("ahead-of-its-partition", tomorrow.atTime(1, 0).toInstant(ZoneOffset.UTC));

        partitions.makeAhead(today);

        assertThat(partitions.missingSoon()).containsOnlyKeys(tomorrow);
        assertThat(partitions.missingSoon().get(tomorrow)).contains("default");
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
    void aClaimOutlivesItsErrorsDayAndGoesADayAfterTheCutOff() {
        Instant cutoff = Instant.now().minus(30, ChronoUnit.DAYS);
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_ids (error_id, received_at) VALUES
                ('claim-32-days', now() - interval '32 days'), ('claim-30-days-and-an-hour', now() - interval '30 days 1 hour')""");

        var purged = retention.purge();

        assertThat(purged).containsEntry("monitor.error_ids", 1L);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_ids WHERE error_id = 'claim-30-days-and-an-hour'"))
                .as("younger than the cut-off plus a day, %s", cutoff).isEqualTo(1);
    }

    private void insertError(String id, Instant receivedAt) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_logs (error_id, error_message, severity, category, fingerprint, occurred_at, received_at)
                VALUES ($1, 'm', 'error', 'unknown', 'fp', $2, $2)""", id, receivedAt.atOffset(ZoneOffset.UTC));
    }

    private String ids() {
        return pool.query("SELECT coalesce(string_agg(error_id, ',' ORDER BY error_id), '') FROM monitor.error_logs").execute()
                .await().indefinitely().iterator().next().getString(0);
    }
}
