package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.model.api.Alert;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.alerts.AlertEngine;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Events trimmed from the stream before the group read them are lost for good: the monitor must say so (counter,
 * health, a critical stream_gap alert). Its own profile (a fresh app on its own streams), so the gap does not leak
 * into the alert tests.
 */
@QuarkusTest
@TestProfile(StreamGapTest.OwnApp.class)
class StreamGapTest {
    public static class OwnApp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // its own (new) streams too: the trimming below must not become a gap of the other tests' consumer group
            String run = UUID.randomUUID().toString().substring(0, 8);
            return Map.of("monitoring.channels.errors", "test.monitor.gap-" + run + ".errors",
                    "monitoring.channels.executions", "test.monitor.gap-" + run + ".executions");
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    StreamConsumer consumer;
    @Inject
    StreamLag lag;
    @Inject
    AlertEngine alerts;

    @Test
    void eventsTrimmedWhileNoMonitorReadAreCountedAndRaiseACriticalAlert() throws InterruptedException {
        String stream = channels.executions() + ":stream";
        await().atMost(Duration.ofSeconds(10)).until(consumer::reading);
        MonitorTables.truncateAll(pool);
        // caught up: nothing undelivered
        await().atMost(Duration.ofSeconds(5)).until(() -> lag.snapshots().containsKey(stream)
                && Long.valueOf(0).equals(lag.snapshots().get(stream).lag()));

        consumer.stop();
        String run = "gap-" + UUID.randomUUID();
        for (int i = 0; i < 300; i++) { // the monitors are down and the stream is capped at 100: 200 are lost
            redis.execute("XADD", stream, "MAXLEN", "100", "*", "event",
                    "{\"event\":\"job.succeeded\",\"job\":\"" + run + "\",\"symbol\":\"S" + i + "\",\"execution_id\":\"" + run + "-" + i + "\"}");
        }
        consumer.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> lag.snapshots().get(stream).gapEvents() == 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> MonitorTables.count(pool,
                "SELECT count(*) FROM monitor.executions WHERE job = $1", run) == 100);
        ManagementInterface.given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'redis-stream' }.data.'" + stream + ".gap_events'", equalTo(200));

        List<dev.monitoring.model.api.Alert> raised = alerts.evaluate();
        assertThat(raised).filteredOn(a -> "stream_gap".equals(a.rule())).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.message()).startsWith("200 events were trimmed from " + stream);
        });
        // caught up again (a look at the stream taken after this moment shows no lag): the loss is counted once
        java.time.Instant after = java.time.Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            StreamLag.Snapshot s = lag.snapshots().get(stream);
            return s.at().isAfter(after) && Long.valueOf(0).equals(s.lag());
        });
        assertThat(lag.snapshots().get(stream).gapEvents()).isEqualTo(200);
        consumer.stop();
        redis.execute("DEL", stream, channels.errors() + ":stream");
    }
}
