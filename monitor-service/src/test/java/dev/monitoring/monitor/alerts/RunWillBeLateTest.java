package dev.monitoring.monitor.alerts;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.RawPublish;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * run_will_be_late: a batch run still going is projected from the pace of its finished items, and said late while
 * there is still time to act; the alert resolves when the pace recovers or the run ends.
 */
@QuarkusTest
class RunWillBeLateTest {
    private static final Instant START = Instant.parse("2026-12-01T06:00:00Z");

    @Inject
    AlertEngine engine;
    @Inject
    Pool pool;
    @Inject
    RedisDataSource redis;
    @Inject
    ChannelsConfig channels;

    @BeforeEach
    void clean() {
        MonitorTables.truncateAll(pool);
    }

    @Test
    void theFinishIsProjectedFromThePaceOfTheFinishedItems() {
        Instant now = START.plusSeconds(60);
        assertThat(AlertRules.projectedFinish(START, now, 10, 2)).contains(START.plusSeconds(300));
        assertThat(AlertRules.projectedFinish(START, now, 10, 0)).as("no pace before the first item").isEmpty();
        assertThat(AlertRules.projectedFinish(START, now, null, 3)).isEmpty();
        assertThat(AlertRules.projectedFinish(START, now, 10, 10)).contains(now);

        assertThat(AlertRules.lateRun("r1", START, START.plusSeconds(299), 10, 2, now)).get()
                .satisfies(c -> assertThat(c.message()).isEqualTo("Batch run r1 will finish around 2026-12-01T06:05:00Z, "
                        + "after its deadline 2026-12-01T06:04:59Z (2 of 10 items done after 60 s)"));
        assertThat(AlertRules.lateRun("r1", START, START.plusSeconds(300), 10, 2, now)).as("finishing right on time").isEmpty();
        assertThat(AlertRules.lateRun("r1", START, START.plusSeconds(30), 10, 0, now)).as("no pace, but past the deadline").get()
                .satisfies(c -> assertThat(c.message()).startsWith("Batch run r1 is still going past its deadline"));
    }

    @Test
    void aSlowRunRaisesTheAlertWhileItGoesAndItResolvesWhenThePaceRecoversOrTheRunEnds() {
        Instant now = Instant.now();
        String run = "run-" + now.toEpochMilli();
        Instant started = now.minusSeconds(60);
        Instant deadline = now.plusSeconds(60); // 120 s in all
        publish("run.started", run, started, deadline, 10, 0);
        publish("run.progress", run, started, deadline, 10, 2); // 2 in 60 s: 10 in about 300 s
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(openAlerts()).containsExactly("run_will_be_late:" + run));
        String message = pool.preparedQuery("SELECT message FROM monitor.alerts WHERE key = $1").execute(Tuple.of("run_will_be_late:" + run))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
        assertThat(message).contains("will finish around").contains("2 of 10 items done");

        publish("run.progress", run, started, null, 10, 9); // the deadline of the first events stays
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(openAlerts()).isEmpty());

        String other = run + "-b";
        publish("run.started", other, started, deadline, 4, 0);
        publish("run.progress", other, started, deadline, 4, 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(openAlerts()).containsExactly("run_will_be_late:" + other));
        publish("run.completed", other, started, null, 4, 4);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(openAlerts()).isEmpty());
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'run_will_be_late' AND resolved_at IS NOT NULL"))
                .isEqualTo(2);
    }

    @Test
    void aRunWithoutADeadlineIsNeverSaidLate() {
        Instant started = Instant.now().minusSeconds(3600);
        String run = "no-deadline-" + started.toEpochMilli();
        publish("run.started", run, started, null, 100, 0);
        publish("run.progress", run, started, null, 100, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> MonitorTables.count(pool,
                "SELECT count(*) FROM monitor.executions WHERE execution_key = $1 AND successful_jobs = 1", run) == 1);
        assertThat(openAlerts()).isEmpty();
    }

    private void publish(String event, String run, Instant started, Instant deadline, int total, int done) {
        String payload = """
                {"event":"%s","batch_run_id":"%s","started_at":"%s","total_jobs":%d,"completed_jobs":%d,"failed_jobs":0%s}"""
                .formatted(event, run, started, total, done, deadline == null ? "" : ",\"deadline\":\"" + deadline + "\"");
        assertThat(RawPublish.publish(redis, channels.executions(), payload)).isEqualTo(1);
    }

    private List<String> openAlerts() {
        engine.evaluate();
        return pool.preparedQuery("SELECT key FROM monitor.alerts WHERE rule = 'run_will_be_late' AND resolved_at IS NULL ORDER BY key")
                .execute(Tuple.tuple()).await().atMost(Duration.ofSeconds(5)).stream().map(r -> r.getString(0)).toList();
    }
}
