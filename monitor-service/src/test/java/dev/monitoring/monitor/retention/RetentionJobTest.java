package dev.monitoring.monitor.retention;

import dev.monitoring.monitor.MonitorTables;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class RetentionJobTest {
    @Inject
    RetentionJob job;
    @Inject
    Pool pool;

    @BeforeEach
    void cleanTables() {
        MonitorTables.truncateAll(pool);
    }

    @Test
    void deletesOnlyRowsOlderThanTheMaxAgeInSeveralBatches() {
        for (int i = 0; i < 5; i++) {
            insertError("old-" + i, 31);
        }
        insertError("recent", 29);
        MonitorTables.execute(pool, """
                INSERT INTO monitor.executions (kind, execution_key, status, updated_at, received_at) VALUES
                ('job', 'old-exec', 'completed', now() - interval '40 days', now() - interval '40 days'),
                ('job', 'new-exec', 'completed', now(), now())""");

        var deleted = job.purge();

        // no day partition this old: the rows sit in the default partition, whose rows go one by one
        assertThat(deleted).containsEntry("monitor.error_logs_default", 5L).containsEntry("monitor.executions_default", 1L);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = 'recent'")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions WHERE execution_key = 'new-exec'")).isEqualTo(1);
    }

    @Test
    void groupsCountsRejectedEventsAndResolvedAlertsAgeOutWhileOpenAlertsStay() {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_groups (fingerprint, error_type, message_pattern, severity, category, first_seen, last_seen, count,
                                                  last_error_id) VALUES
                ('old-group', 'E', 'p', 'error', 'unknown', now() - interval '60 days', now() - interval '31 days', 3, 'e1'),
                ('live-group', 'E', 'p', 'error', 'unknown', now() - interval '60 days', now() - interval '1 day', 3, 'e2')""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_counts (bucket, severity, category, count) VALUES
                (date_trunc('minute', now() - interval '31 days'), 'error', 'unknown', 1),
                (date_trunc('minute', now()), 'error', 'unknown', 1)""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_counts_hourly (hour, severity, category, count) VALUES
                (date_trunc('hour', now() - interval '31 days', 'UTC'), 'error', 'unknown', 1),
                (date_trunc('hour', now() - interval '30 days', 'UTC'), 'error', 'unknown', 1),
                (date_trunc('hour', now(), 'UTC'), 'error', 'unknown', 1)""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.rejected_events (channel, reason, payload, received_at) VALUES
                ('errors', 'old', 'x', now() - interval '31 days'), ('errors', 'new', 'x', now())""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.alerts (alert_id, rule, severity, message, key, first_seen, last_seen, count, last_notified_at, resolved_at)
                VALUES ('resolved-long-ago', 'error_rate', 'error', 'm', 'k1', now() - interval '40 days', now() - interval '40 days', 1,
                        now() - interval '40 days', now() - interval '31 days'),
                       ('open-since-long-ago', 'job_stale', 'warning', 'm', 'k2', now() - interval '40 days', now() - interval '40 days', 1,
                        now() - interval '40 days', NULL),
                       ('resolved-recently', 'error_rate', 'error', 'm', 'k3', now() - interval '40 days', now() - interval '1 day', 1,
                        now() - interval '1 day', now() - interval '1 day')""");

        var deleted = job.purge();

        assertThat(deleted).containsEntry("monitor.error_groups", 1L).containsEntry("monitor.error_counts", 1L)
                .containsEntry("monitor.error_counts_hourly", 1L)
                .containsEntry("monitor.rejected_events", 1L).containsEntry("monitor.alerts", 1L);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_groups WHERE fingerprint = 'live-group'")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_counts")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason = 'new'")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE alert_id IN ('open-since-long-ago', 'resolved-recently')"))
                .as("an open alert stays however old it is").isEqualTo(2);
    }

    @Test
    void freshnessDeadLettersNotificationsAndEndedSilencesAgeOutWhileLiveOnesStay() {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.freshness (job, symbol, timeframe, last_success_at, last_attempt_at, last_status) VALUES
                ('gone-job', 'A', '1d', now() - interval '40 days', now() - interval '31 days', 'failed'),
                ('never-succeeded', 'A', '1d', NULL, now() - interval '31 days', 'failed'),
                ('failing-lately', 'A', '1d', now() - interval '40 days', now() - interval '1 day', 'failed'),
                ('healthy', 'A', '1d', now() - interval '1 hour', now() - interval '1 hour', 'completed')""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.dead_letters (stream, entry_id, payload, deliveries, reason, dead_at) VALUES
                ('s', '1-0', 'x', 5, 'old', now() - interval '31 days'), ('s', '2-0', 'x', 5, 'new', now() - interval '1 day')""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.notifications (notification_id, receiver, group_key, kind, status, created_at, updated_at) VALUES
                ('n-old', 'r', 'g', 'firing', 'sent', now() - interval '32 days', now() - interval '31 days'),
                ('n-new', 'r', 'g', 'firing', 'sent', now() - interval '32 days', now() - interval '1 day')""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.silences (id, matchers, starts_at, ends_at, comment, created_by, created_at, expired_at) VALUES
                ('expired-long-ago', '[]', now() - interval '60 days', NULL, 'c', 'u', now() - interval '60 days', now() - interval '31 days'),
                ('ended-long-ago', '[]', now() - interval '60 days', now() - interval '31 days', 'c', 'u', now() - interval '60 days', NULL),
                ('expired-recently', '[]', now() - interval '60 days', NULL, 'c', 'u', now() - interval '60 days', now() - interval '1 day'),
                ('open-ended-since-long-ago', '[]', now() - interval '60 days', NULL, 'c', 'u', now() - interval '60 days', NULL),
                ('ending-in-future', '[]', now() - interval '60 days', now() + interval '1 day', 'c', 'u', now() - interval '60 days', NULL)""");

        var deleted = job.purge();

        assertThat(deleted).containsEntry("monitor.freshness", 2L).containsEntry("monitor.dead_letters", 1L)
                .containsEntry("monitor.notifications", 1L).containsEntry("monitor.silences", 2L);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness WHERE job IN ('failing-lately', 'healthy')"))
                .as("a target attempted lately stays, however old its last success").isEqualTo(2);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.dead_letters WHERE reason = 'new'")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.notifications WHERE notification_id = 'n-new'")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.silences WHERE id IN "
                + "('expired-recently', 'open-ended-since-long-ago', 'ending-in-future')"))
                .as("a silence in force, or ended within the age, stays").isEqualTo(3);
    }

    @Test
    void aChecksOldRunsAgeOutButItsLast21StayForItsDurationAnomaly() {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.checks (name, period_seconds, grace_seconds, ping_key, badge_key, created_at, updated_at)
                VALUES ('old-check', 3600, 60, 'k-old', 'b-old', now() - interval '90 days', now() - interval '90 days')""");
        MonitorTables.execute(pool, """
                INSERT INTO monitor.check_runs (check_name, started_at, finished_at, outcome, duration_ms, via)
                SELECT 'old-check', now() - make_interval(days => 60 - i), now() - make_interval(days => 60 - i), 'success', 1000, 'http'
                FROM generate_series(1, 25) i""");

        assertThat(job.purge()).containsEntry("monitor.check_runs", 4L);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.check_runs")).isEqualTo(21);
        assertThat(MonitorTables.count(pool, "SELECT min(id) FROM monitor.check_runs")).as("the oldest went").isEqualTo(5);
    }

    @Test
    void everyRetentionScanReadsAnIndex() {
        // the planner would pick a sequential scan on these tiny tables: forbid it, then no index means no plan without one
        for (var entry : RetentionJob.agedWhen().entrySet()) {
            String plan = pool.withTransaction(conn -> conn.query("SET LOCAL enable_seqscan = off").execute()
                            .flatMap(x -> conn.preparedQuery("EXPLAIN SELECT ctid FROM " + entry.getKey() + " WHERE "
                                    + entry.getValue() + " LIMIT $2").execute(io.vertx.mutiny.sqlclient.Tuple.of(
                                    java.time.OffsetDateTime.now(), 10))))
                    .map(rows -> {
                        StringBuilder b = new StringBuilder();
                        rows.forEach(r -> b.append(r.getString(0)).append('\n'));
                        return b.toString();
                    }).await().atMost(java.time.Duration.ofSeconds(10));
            assertThat(plan).as(entry.getKey() + ":\n" + plan).containsIgnoringCase("index").doesNotContain("Seq Scan");
        }
    }

    private void insertError(String id, int daysAgo) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_logs (error_id, error_message, severity, category, fingerprint, occurred_at, received_at)
                VALUES ($1, 'old', 'error', 'unknown', 'fp', now() - make_interval(days => $2), now() - make_interval(days => $2))""", id, daysAgo);
    }
}
