package dev.monitoring.monitor.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import dev.monitoring.monitor.selfwatch.SelfWatch;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** A writer held inside a call (here: waiting on a table lock) is what liveness exists for; readiness cannot see it. */
@QuarkusTest
@TestProfile(WorkerLivenessTest.ShortStallBound.class)
class WorkerLivenessTest {
    static final Duration STALL_AFTER = Duration.ofSeconds(3);

    public static class ShortStallBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // PostgreSQL's own bound on a batch statement above the stall bound, so the lock holds the writer inside
            // its call past it (as shipped, 15 s below 30 s: a lock wait is ended first and looks like a database away)
            return Map.of("monitoring.liveness.stall-after", STALL_AFTER.toSeconds() + "s",
                    "monitor.ingest.statement-timeout", "19s");
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    RedisEventSubscriber subscriber;
    @Inject
    SelfWatch selfWatch;
    @Inject
    EventCodec codec;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @Test
    void aWriterHeldInsideACallTurnsLivenessDownWithinTheBoundAndRaisesIngestStalled() throws Exception {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        ManagementInterface.given().when().get("/q/health/live").then().statusCode(200);
        ConcurrentLinkedQueue<JsonNode> alerts = new ConcurrentLinkedQueue<>();
        PubSubCommands.RedisSubscriber listener = redis.pubsub(String.class).subscribe(channels.alerts(), json -> {
            try {
                alerts.add(codec.mapper().readTree(json));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String id = "held-" + UUID.randomUUID();
        try (Connection holder = DriverManager.getConnection(jdbcUrl, user, "")) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE monitor.error_logs IN ACCESS EXCLUSIVE MODE");
            }
            RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + id + "\",\"severity\":\"error\",\"error_message\":\"held\"}");
            Instant published = Instant.now();

            await().atMost(STALL_AFTER.plusSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ManagementInterface.given().when().get("/q/health/live").statusCode() == 503);
            assertThat(Duration.between(published, Instant.now())).isLessThan(STALL_AFTER.plusSeconds(3));
            ManagementInterface.given()
                    .when().get("/q/health/live")
                    .then()
                        .statusCode(503)
                        .body("checks.find { it.name == 'workers' }.data.'ingest-writer'", containsString("stalled"));
            ManagementInterface.given().when().get("/q/health/ready").then().statusCode(200); // readiness never saw it

            assertThat(selfWatch.check()).extracting(c -> c.rule()).contains("ingest_stalled");
            await().atMost(Duration.ofSeconds(5)).until(() -> alerts.stream().anyMatch(a -> a.get("rule").asText().equals("ingest_stalled")));
            assertThat(alerts).filteredOn(a -> a.get("rule").asText().equals("ingest_stalled")).singleElement()
                    .satisfies(a -> assertThat(a.get("message").asText()).contains("worker 'ingest-writer' is stalled"));
            holder.rollback();
        } finally {
            listener.unsubscribe();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> ManagementInterface.given().when().get("/q/health/live").statusCode() == 200);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1", id) == 1);
        assertThat(selfWatch.check()).extracting(c -> c.rule()).doesNotContain("ingest_stalled");
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'ingest_stalled' AND resolved_at IS NOT NULL"))
                .as("recorded with its end").isEqualTo(1);
    }
}
