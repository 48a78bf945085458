package dev.monitoring.monitor.notify;

import dev.monitoring.model.api.Alert;
import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.alerts.AlertEngine;
import dev.monitoring.monitor.ingest.OwnRedisServer;
import dev.monitoring.monitor.notify.config.NotifyFile;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An alert the engine raises or resolves while Redis is away cannot be queued for notification at that moment (the
 * groups live in Redis). It is kept on the alert row and queued once Redis answers again, in order, and told once: the
 * on-call hears of a stale job that went stale during a Redis outage. The monitor here has a Redis of its own, stopped
 * and started by the test.
 */
@QuarkusTest
@TestProfile(OwnRedisServer.Profile.class)
class AlertsWhileRedisIsAwayTest {
    private static ReceiverSink sink;
    private static Path notifyFile;

    @Inject
    NotifyFile file;
    @Inject
    AlertEngine engine;
    @Inject
    Pool pool;
    @Inject
    RedisDataSource redis;
    @Inject
    ChannelsConfig channels;

    @BeforeAll
    static void startSink() throws Exception {
        sink = new ReceiverSink();
        notifyFile = Files.createTempFile("notify", ".yaml");
        Files.writeString(notifyFile, """
                receivers:
                  - name: hook
                    webhook: { url: "%s" }
                routes:
                  - match: { rule: critical_error }
                    receivers: [hook]
                    group_wait: 0s
                    group_interval: 1s
                """.formatted(sink.url("/hook")));
    }

    @AfterAll
    static void stopSink() throws Exception {
        sink.close();
        Files.deleteIfExists(notifyFile);
    }

    @BeforeEach
    void clean() {
        file.switchTo(notifyFile);
        MonitorTables.truncateAll(pool);
        sink.reset();
    }

    @AfterEach
    void redisBack() {
        OwnRedisServer.startServer();
    }

    @Test
    void anAlertRaisedAndEndedWhileRedisIsAwayIsToldOfWhenItIsBackOnce() {
        publishCritical();

        OwnRedisServer.stopServer();
        List<Alert> raised = engine.evaluate();
        assertThat(raised).extracting(Alert::rule).containsExactly("critical_error");
        String id = raised.get(0).alertId();
        assertThat(owed(id)).isEqualTo("F");

        OwnRedisServer.startServer();
        await("the firing is told once Redis answers").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    engine.evaluate();
                    return told(id).size() == 1;
                });
        assertThat(told(id).get(0).path("status").asText()).isEqualTo("firing");
        assertThat(owed(id)).isNull();

        OwnRedisServer.stopServer();
        MonitorTables.execute(pool, "DELETE FROM monitor.error_logs");
        engine.evaluate();
        assertThat(owed(id)).isEqualTo("R");

        OwnRedisServer.startServer();
        await("the end is told once Redis answers").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    engine.evaluate();
                    return told(id).size() == 2;
                });
        assertThat(told(id).get(1).path("status").asText()).isEqualTo("resolved");
        assertThat(owed(id)).isNull();

        // queued once each: a later round (and the group's interval) tells nothing more. The margin over the 2 s is
        // for rounds slowed by a busy machine (3 s was once too short with another module's tests running beside)
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    engine.evaluate();
                    assertThat(statuses(id)).containsExactly("firing", "resolved");
                });
    }

    @Test
    void anAlertThatStartedAndEndedWithinTheOutageIsToldOfItsEndNeverAsStillFiring() {
        publishCritical();

        OwnRedisServer.stopServer();
        String id = engine.evaluate().get(0).alertId();
        MonitorTables.execute(pool, "DELETE FROM monitor.error_logs");
        engine.evaluate();
        assertThat(owed(id)).isEqualTo("FR");

        OwnRedisServer.startServer();
        // within a few rounds of Redis answering, not after the 15 s lease the end once took while its start was owed
        await("both transitions queued, in order").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    engine.evaluate();
                    return owed(id) == null;
                });
        // it lasted the group's wait (0 s here): only the outage kept it from being told, so its end is told, with its
        // start if the group spoke in between; never a start without its end
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> statuses(id).contains("resolved"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> List.of(List.of("resolved"), List.of("firing", "resolved")).contains(statuses(id)));
    }

    private void publishCritical() {
        long before = MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs");
        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + UUID.randomUUID()
                + "\",\"severity\":\"critical\",\"error_type\":\"Outage\",\"error_message\":\"disk full on db-1\"}");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs") == before + 1);
    }

    /** The notifications the receiver accepted that tell of this alert, in arrival order. */
    private static List<JsonNode> told(String alertId) {
        return sink.accepted("/hook").stream().map(ReceiverSink.Request::json)
                .filter(n -> n.path("alerts").findValuesAsText("alert_id").contains(alertId)).toList();
    }

    private static List<String> statuses(String alertId) {
        return told(alertId).stream().map(n -> n.path("status").asText()).toList();
    }

    private String owed(String alertId) {
        Row r = pool.preparedQuery("SELECT notify_pending FROM monitor.alerts WHERE alert_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(alertId)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        return r.getString("notify_pending");
    }
}
