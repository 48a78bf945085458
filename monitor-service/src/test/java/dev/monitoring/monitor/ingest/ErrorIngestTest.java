package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class ErrorIngestTest {
    static final String FULL_EXAMPLE = """
            {"error_id": "%s",
             "error_type": "PatternDetectionError",
             "error_message": "Pattern detection failed for Doji: Insufficient data",
             "error_traceback": "Full traceback...",
             "severity": "error",
             "category": "pattern",
             "context": {"component": "PatternDetector", "operation": "detect_doji", "symbol": "AAPL",
                         "timeframe": "daily", "metadata": {"bars": 3}, "timestamp": "2024-01-01T12:00:00"},
             "timestamp": "2024-01-01T12:00:00"}""";

    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    RedisEventSubscriber subscriber;

    @BeforeEach
    void warmUpIngestAndCleanTables() {
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        // a first event through the whole path, so the 1 s budgets measure a running service, not a cold JVM
        String warmUp = "warm-up-" + UUID.randomUUID();
        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + warmUp + "\",\"error_message\":\"warm-up\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> recentIds().contains(warmUp));
        MonitorTables.truncateAll(pool);
    }

    @Test
    void minimalRedisCliErrorIsVisibleWithinOneSecond() {
        String message = "disk full " + UUID.randomUUID();
        recentMessages(); // warm the endpoint so the 1 s budget measures ingest, not first-request start-up

        RawPublish.publish(redis, channels.errors(), "{\"severity\":\"error\",\"error_message\":\"" + message + "\"}");

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> recentMessages().contains(message));
        given()
                .when().get("/api/errors/recent")
                .then()
                    .statusCode(200)
                    .body("[0].message", equalTo(message))
                    .body("[0].severity", equalTo("error"))
                    .body("[0].category", equalTo("unknown"));
    }

    @Test
    void fullExampleIsStoredWithTracebackAndContext() {
        String id = "PatternDetector_detect_doji_" + UUID.randomUUID();
        recentMessages();

        RawPublish.publish(redis, channels.errors(), FULL_EXAMPLE.formatted(id));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> recentIds().contains(id));
        given()
                .when().get("/api/errors/recent?symbol=AAPL&category=pattern&severity=error")
                .then()
                    .statusCode(200)
                    .body("[0].id", equalTo(id))
                    .body("[0].type", equalTo("PatternDetectionError"))
                    .body("[0].component", equalTo("PatternDetector"))
                    .body("[0].symbol", equalTo("AAPL"))
                    .body("[0].timestamp", equalTo("2024-01-01T12:00:00Z"));
        given()
                .when().get("/api/errors/{id}", id)
                .then()
                    .statusCode(200)
                    .body("error_traceback", equalTo("Full traceback..."))
                    .body("operation", equalTo("detect_doji"))
                    .body("timeframe", equalTo("daily"))
                    .body("context.metadata.bars", equalTo(3));
    }

    @Test
    void warningIsCountedButNotStored() {
        String warningId = "warn-" + UUID.randomUUID();
        String markerId = "marker-" + UUID.randomUUID();

        RawPublish.publish(redis, channels.errors(),
                "{\"error_id\":\"" + warningId + "\",\"severity\":\"warning\",\"error_message\":\"slow\"}");
        RawPublish.publish(redis, channels.errors(),
                "{\"error_id\":\"" + markerId + "\",\"severity\":\"error\",\"error_message\":\"marker\"}");

        // same channel, one writer: once the marker is stored the warning has been handled
        await().atMost(Duration.ofSeconds(10)).until(() -> recentIds().contains(markerId));
        given().when().get("/api/errors/{id}", warningId).then().statusCode(404).body("error", org.hamcrest.Matchers.containsString(warningId));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs")).isEqualTo(1);
        given()
                .when().get("/api/errors/statistics?hours=1")
                .then()
                    .statusCode(200)
                    .body("timeRange", equalTo("last_1_hours"))
                    .body("bySeverity.warning", equalTo(1))
                    .body("bySeverity.error", equalTo(1))
                    .body("total", equalTo(2));
    }

    @Test
    void aWarningAlreadyCountedByAnotherReplicaOrDeliveredTwiceIsCountedOnce() {
        String countedElsewhere = "warn-" + UUID.randomUUID();
        String redelivered = "warn-" + UUID.randomUUID();
        String markerId = "marker-" + UUID.randomUUID();
        // another monitor replica received this warning first and claimed its error_id
        MonitorTables.execute(pool, "INSERT INTO monitor.counted_events (error_id) VALUES ($1)", countedElsewhere);

        RawPublish.publish(redis, channels.errors(),
                "{\"error_id\":\"" + countedElsewhere + "\",\"severity\":\"warning\",\"error_message\":\"slow\"}");
        for (int i = 0; i < 2; i++) {
            RawPublish.publish(redis, channels.errors(),
                    "{\"error_id\":\"" + redelivered + "\",\"severity\":\"warning\",\"error_message\":\"slow\"}");
        }
        RawPublish.publish(redis, channels.errors(),
                "{\"error_id\":\"" + markerId + "\",\"severity\":\"error\",\"error_message\":\"marker\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> recentIds().contains(markerId));
        given().when().get("/api/errors/statistics?hours=1").then()
                .body("bySeverity.warning", equalTo(1))
                .body("total", equalTo(2));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.counted_events WHERE error_id IN ($1, $2)",
                countedElsewhere, redelivered)).isEqualTo(2);
    }

    @Test
    void duplicateErrorIdIsStoredAndCountedOnce() {
        String id = "dup-" + UUID.randomUUID();
        String markerId = "marker-" + UUID.randomUUID();
        String payload = "{\"error_id\":\"" + id + "\",\"severity\":\"error\",\"error_type\":\"DupError\",\"error_message\":\"same 42\"}";

        RawPublish.publish(redis, channels.errors(), payload);
        RawPublish.publish(redis, channels.errors(), payload);
        RawPublish.publish(redis, channels.errors(),
                "{\"error_id\":\"" + markerId + "\",\"severity\":\"error\",\"error_message\":\"marker\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> recentIds().contains(markerId));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1", id)).isEqualTo(1);
        given()
                .when().get("/api/errors/groups")
                .then()
                    .statusCode(200)
                    .body("find { it.type == 'DupError' }.count", equalTo(1))
                    .body("find { it.type == 'DupError' }.message", equalTo("same <n>"));
        given().when().get("/api/errors/statistics").then().body("total", equalTo(2));
    }

    @Test
    void aCopyArrivingDaysAfterTheFirstIsNotStoredAgainInItsOwnDay() {
        // the first copy, stored two days ago (a stream entry redelivered after a crash arrives this late): its row
        // sits in another day's partition, so only its claim can tell the writer it is known
        String id = "late-copy-" + UUID.randomUUID();
        MonitorTables.execute(pool, """
                WITH claim AS (INSERT INTO monitor.error_ids (error_id, received_at) VALUES ($1, now() - interval '2 days'))
                INSERT INTO monitor.error_logs (error_id, error_message, severity, category, fingerprint, occurred_at, received_at)
                VALUES ($1, 'first copy', 'error', 'unknown', 'fp', now() - interval '2 days', now() - interval '2 days')""", id);
        String markerId = "marker-" + UUID.randomUUID();

        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + id + "\",\"error_message\":\"second copy\"}");
        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + markerId + "\",\"error_message\":\"marker\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> recentIds().contains(markerId));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1", id)).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1 AND error_message = 'first copy'", id))
                .isEqualTo(1);
        given().when().get("/api/errors/statistics").then().body("total", equalTo(1));
    }

    @Test
    void aBatchHeldUpByALockedTableIsEndedByPostgresAndTriedAgainNeverQueuedTwiceAndStoredOnce() throws Exception {
        String waiting = """
                SELECT coalesce(string_agg(extract(epoch FROM query_start)::text, ','), '') FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO monitor.error_logs%'""";
        String id = "held-" + UUID.randomUUID();
        // a long transaction holds error_logs, as a maintenance script's TRUNCATE or a long migration would
        try (AutoCloseable lock = MonitorTables.lock(pool, "monitor.error_logs")) {
            RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + id + "\",\"error_message\":\"held by a lock\"}");
            String first = await().atMost(Duration.ofSeconds(10)).until(() -> text(waiting), t -> !t.isEmpty());
            // PostgreSQL ends the statement after monitor.ingest.statement-timeout (2 s here) and the writer asks again:
            // one statement waits at any time, a newer one (before, the first waited until the writer gave up on it
            // after 20 s, went on waiting in PostgreSQL, and each retry queued one more behind it)
            String retried = await().atMost(Duration.ofSeconds(10))
                    .until(() -> text(waiting), t -> !t.isEmpty() && !t.equals(first));
            assertThat(retried.split(",")).as("statements of the writer waiting for the lock").hasSize(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> recentIds().contains(id));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1", id)).isEqualTo(1);
    }

    private String text(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }

    @Test
    void invalidMessageIsRejectedWithReasonAndDoesNotStopTheSubscription() {
        String markerId = "after-invalid-" + UUID.randomUUID();

        RawPublish.publish(redis, channels.errors(), "{\"severity\":\"apocalyptic\",\"error_message\":\"x\"}");
        RawPublish.publish(redis, channels.errors(), "not json at all");
        RawPublish.publish(redis, channels.errors(),
                "{\"error_id\":\"" + markerId + "\",\"severity\":\"critical\",\"error_message\":\"still here\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> recentIds().contains(markerId));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events") == 2);
        given()
                .when().get("/api/rejected")
                .then()
                    .statusCode(200)
                    .body("reason", hasItem(org.hamcrest.Matchers.startsWith("unknown severity 'apocalyptic'")))
                    .body("reason", hasItem(org.hamcrest.Matchers.startsWith("not valid JSON")))
                    .body("channel", hasItem(channels.errors()));
    }

    @Test
    void countersAreExposedOnMetrics() {
        String body = ManagementInterface.given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(body).contains("monitor_ingest_received_total", "monitor_ingest_persisted_total",
                "monitor_ingest_filtered_out_total", "monitor_ingest_rejected_total", "monitor_ingest_dropped_total",
                "monitor_subscription_disconnects_total", "monitor_subscription_reconnects_total", "monitor_ingest_buffer_size");
    }

    private List<String> recentMessages() {
        return given().when().get("/api/errors/recent").then().statusCode(200).extract().jsonPath().getList("message");
    }

    private List<String> recentIds() {
        return given().when().get("/api/errors/recent").then().statusCode(200).extract().jsonPath().getList("id");
    }
}
