package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class BurstIngestTest {
    static final int VALID = 10_000;
    static final int INVALID = 100;

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    RedisEventSubscriber subscriber;

    @BeforeEach
    void cleanTables() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
    }

    @Test
    void everyValidErrorOfABurstIsStoredAndEveryInvalidOneRejectedWithItsReason() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < VALID; i++) {
            payloads.add("{\"error_id\":\"burst-" + run + "-" + i + "\",\"severity\":\"error\",\"category\":\"indicator\","
                    + "\"error_type\":\"BurstError\",\"error_message\":\"burst event " + i + "\","
                    + "\"context\":{\"component\":\"Burst\",\"symbol\":\"SYM" + (i % 50) + "\"}}");
            if (i % (VALID / INVALID) == 0) {
                int k = i / (VALID / INVALID);
                payloads.add(switch (k % 4) {
                    case 0 -> "garbage-" + run + "-" + k;
                    case 1 -> "{\"severity\":\"bogus-" + k + "\",\"error_message\":\"x\"}";
                    case 2 -> "{\"severity\":\"error\",\"error_message\":" + k + "}";
                    default -> "[\"an array " + k + "\"]";
                });
            }
        }
        assertThat(payloads).hasSize(VALID + INVALID);

        var pubsub = redis.pubsub(String.class);
        Multi.createFrom().iterable(payloads)
                .onItem().transformToUniAndConcatenate(p -> pubsub.publish(channels.errors(), p))
                .collect().last().await().atMost(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", "burst-" + run + "-%") == VALID
                        && MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events") == INVALID);

        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason LIKE 'not valid JSON%'")).isEqualTo(25);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason LIKE 'unknown severity ''bogus-%'")).isEqualTo(25);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason = 'field ''error_message'' must be a string, got a number'")).isEqualTo(25);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason = 'not a JSON object: got an array'")).isEqualTo(25);
        // one group: the numbers in the message are normalised away
        given()
                .when().get("/api/errors/groups?limit=5")
                .then()
                    .statusCode(200)
                    .body("size()", equalTo(1))
                    .body("[0].count", equalTo(VALID))
                    .body("[0].message", equalTo("burst event <n>"));
        given().when().get("/api/errors/statistics?hours=1").then().body("bySeverity.error", equalTo(VALID));
    }
}
