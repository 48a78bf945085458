package dev.monitoring.runner.events;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.publish.EventPublisher;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import dev.monitoring.runner.runs.RunCoordinator;
import dev.monitoring.runner.runs.RunnerTables;
import dev.monitoring.runner.runs.StartResult;
import dev.monitoring.runner.runs.Trigger;
import dev.monitoring.testsupport.ManagementInterface;
import dev.monitoring.testsupport.Resp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Redis stops in the middle of a run: the events wait in the outbox and arrive, in order, once it is back. */
@QuarkusTest
@TestProfile(OwnRedis.Profile.class)
class RedisOutageTest {
    private final JobCatalog catalog;
    private final RunCoordinator coordinator;
    private final RunnerTables tables;
    private final ChannelsConfig channels;
    private final EventPublisher publisher;
    private final EventCodec codec = new EventCodec();

    RedisOutageTest(JobCatalog catalog, RunCoordinator coordinator, RunnerTables tables, ChannelsConfig channels,
                    EventPublisher publisher) {
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.tables = tables;
        this.channels = channels;
        this.publisher = publisher;
    }

    @Test
    void eventsPublishedWhileRedisIsDownArriveInOrderAfterItIsBack() throws Exception {
        tables.clear();
        List<Target> targets = IntStream.range(0, 9).mapToObj(i -> new Target("S" + i, "1d")).toList();
        catalog.replace(List.of(TestJobs.demo("steady", Duration.ofMillis(600), 0, targets)));
        Set<String> payloads = new LinkedHashSet<>();

        try (Resp.Subscription before = Resp.tcp("127.0.0.1", OwnRedis.port).subscription(channels.executions())) {
            String runId = ((StartResult.Started) coordinator.start(Trigger.MANUAL, null, false)).batchRunId();
            await().atMost(Duration.ofSeconds(10)).until(() -> before.queue.stream()
                    .anyMatch(m -> m.payload().contains("\"job.started\"")));

            OwnRedis.stopServer();
            await().atMost(Duration.ofSeconds(20)).until(() -> coordinator.current().isEmpty());
            before.queue.forEach(m -> payloads.add(m.payload()));
            assertThat(publisher.status().redisReachable()).isFalse();
            assertThat(publisher.status().size()).isGreaterThan(0);
            assertThat(payloads).noneMatch(p -> p.contains("\"run.completed\""));
            ManagementInterface.given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'event-outbox' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'event-outbox' }.data.redis_reachable", equalTo(false));

            OwnRedis.restartOnSocketOnly();
            try (Resp.Subscription after = Resp.unix(OwnRedis.socket()).subscription(channels.executions())) {
                OwnRedis.openTcp();
                await().atMost(Duration.ofSeconds(15)).until(() -> after.queue.stream()
                        .anyMatch(m -> m.payload().contains("\"run.completed\"")));
                after.queue.forEach(m -> payloads.add(m.payload()));
            }

            List<ExecutionEvent> events = new ArrayList<>();
            for (String p : payloads) {
                events.add(codec.decodeExecution(p));
            }
            assertThat(events).allSatisfy(e -> assertThat(e.batchRunId()).isEqualTo(runId));
            assertThat(events).extracting(ExecutionEvent::event)
                    .startsWith(ExecutionEventType.RUN_STARTED).endsWith(ExecutionEventType.RUN_COMPLETED);
            assertThat(events).filteredOn(e -> e.event() == ExecutionEventType.JOB_STARTED).hasSize(9);
            assertThat(events).filteredOn(e -> e.event() == ExecutionEventType.JOB_SUCCEEDED).hasSize(9);
            assertThat(events).filteredOn(e -> e.event() == ExecutionEventType.RUN_PROGRESS)
                    .extracting(ExecutionEvent::completedJobs).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(publisher.status().size()).isZero();
            assertThat(publisher.status().redisReachable()).isTrue();
        }
    }
}
