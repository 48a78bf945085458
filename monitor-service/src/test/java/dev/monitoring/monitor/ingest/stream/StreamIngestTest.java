package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/** The durable path: errors appended to {@code <channel>:stream} are stored, acknowledged only once stored, claimed from a consumer that died, dead-lettered when poisonous. */
@QuarkusTest
class StreamIngestTest {
    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    StreamConsumer consumer;
    @Inject
    RedisEventSubscriber subscriber;

    private String stream;

    @BeforeEach
    void clean() {
        stream = channels.errors() + ":stream";
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.reading() && subscriber.subscribed());
        MonitorTables.truncateAll(pool);
    }

    @Test
    void anErrorOnlyOnTheStreamIsStoredAndAcknowledged() {
        String id = "stream-only-" + UUID.randomUUID();
        redis.execute("XADD", stream, "*", "event", error(id, "only on the stream"));

        await().atMost(Duration.ofSeconds(2)).until(() -> stored(id) == 1);
        await().atMost(Duration.ofSeconds(2)).until(() -> pending() == 0);
        // health shows the consumer's last look at the stream, taken before each read (at most one block time old)
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> ManagementInterface.given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'redis-stream' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis-stream' }.data.'" + stream + ".pending'", equalTo(0))
                .body("checks.find { it.name == 'redis-stream' }.data.'" + stream + ".lag'", equalTo(0)));
    }

    @Test
    void anEventArrivingByBothPathsIsStoredAndCountedOnce() {
        String id = "both-" + UUID.randomUUID();
        String json = error(id, "both paths " + id);
        redis.execute("XADD", stream, "*", "event", json);
        RawPublish.publish(redis, channels.errors(), json);
        redis.execute("XADD", stream, "*", "event", json); // a publisher retry after a lost reply

        await().atMost(Duration.ofSeconds(2)).until(() -> stored(id) == 1 && pending() == 0);
        assertThat(MonitorTables.count(pool, "SELECT coalesce(sum(count), 0) FROM monitor.error_groups WHERE last_error_id = $1", id)).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT coalesce(sum(count), 0) FROM monitor.error_counts")).isEqualTo(1);
    }

    @Test
    void entriesLeftPendingByACrashedConsumerAreClaimedAndStored() {
        String run = "ghost-" + UUID.randomUUID();
        String ghost = "crashed-" + run;
        consumerPaused(() -> {
            for (int i = 0; i < 20; i++) {
                redis.execute("XADD", stream, "*", "event", error(run + "-" + i, "held by a consumer that died"));
            }
            // another replica reads them and dies before storing anything
            Response read = redis.execute("XREADGROUP", "GROUP", consumer.group(), ghost, "COUNT", "100", "STREAMS", stream, ">");
            assertThat(read).isNotNull();
        });

        // claim-min-idle is 2 s in tests
        await().atMost(Duration.ofSeconds(10)).until(() -> storedLike(run + "-%") == 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingOf(ghost) == 0 && pending() == 0);
    }

    @Test
    void anEntryDeliveredTooOftenGoesToDeadLettersWithItsReasonAndIsAcknowledged() {
        String id = "poison-" + UUID.randomUUID();
        String ghost = "crashing-" + id;
        consumerPaused(() -> {
            Response added = redis.execute("XADD", stream, "*", "event", error(id, "every consumer dies on this one"));
            redis.execute("XREADGROUP", "GROUP", consumer.group(), ghost, "COUNT", "100", "STREAMS", stream, ">");
            // as if six consumers had crashed holding it
            redis.execute("XCLAIM", stream, consumer.group(), ghost, "0", added.toString(), "RETRYCOUNT", "6");
        });

        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.dead_letters WHERE payload LIKE $1", "%" + id + "%") == 1);
        assertThat(stored(id)).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> pending() == 0);
        given().when().get("/api/dead-letters?limit=5").then().statusCode(200)
                .body("[0].stream", equalTo(stream))
                .body("[0].deliveries", greaterThan(5))
                .body("[0].reason", containsString("delivered 7 times without being stored"))
                .body("[0].payload", containsString(id));
        given().when().get("/api/dead-letters?limit=0").then().statusCode(400);
    }

    @Test
    void aForeignEntryWithoutAnEventFieldIsRejectedWithItsReasonAndAcknowledged() {
        redis.execute("XADD", stream, "*", "message", "not our format");

        await().atMost(Duration.ofSeconds(2)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE reason LIKE $1", "%has no 'event' field%") == 1);
        await().atMost(Duration.ofSeconds(2)).until(() -> pending() == 0);
    }

    private void consumerPaused(Runnable action) {
        try {
            consumer.stop();
            action.run();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            consumer.start();
        }
    }

    private static String error(String id, String message) {
        return "{\"error_id\":\"" + id + "\",\"severity\":\"error\",\"error_type\":\"StreamTest\",\"error_message\":\"" + message + "\"}";
    }

    private long stored(String id) {
        return MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1", id);
    }

    private long storedLike(String pattern) {
        return MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", pattern);
    }

    private long pending() {
        return redis.execute("XPENDING", stream, consumer.group()).get(0).toLong();
    }

    private long pendingOf(String name) {
        Response consumers = redis.execute("XINFO", "CONSUMERS", stream, consumer.group());
        for (Response c : consumers) {
            Response n = c.isMap() ? c.get("name") : c.get(1);
            if (name.equals(n.toString())) {
                return c.isMap() ? c.get("pending").toLong() : c.get(3).toLong();
            }
        }
        return 0;
    }
}
