package dev.monitoring.monitor.ingest.pubsub;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.OwnRedisServer;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(OwnRedisServer.Profile.class)
class SubscriptionReconnectTest {
    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    RedisEventSubscriber subscriber;

    @BeforeEach
    void subscribedAndClean() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(15)).until(() -> "UP".equals(subscriptionHealth()));
    }

    @Test
    void resubscribesAfterClientKillAndStoresEventsPublishedAfterwards() {
        long disconnects = subscriber.disconnects();
        long reconnects = subscriber.reconnects();

        redis.execute("CLIENT", "KILL", "TYPE", "pubsub");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> "DOWN".equals(subscriptionHealth()));
        await().atMost(Duration.ofSeconds(15)).until(() -> "UP".equals(subscriptionHealth()));
        assertThat(numsub(channels.errors())).isEqualTo(1);
        assertThat(numsub(channels.executions())).isEqualTo(1);
        assertThat(subscriber.disconnects()).isEqualTo(disconnects + 1);
        assertThat(subscriber.reconnects()).isEqualTo(reconnects + 1);

        assertEventAfterReconnectIsStored();
    }

    @Test
    void resubscribesAfterRedisIsStoppedAndStartedAgain() {
        OwnRedisServer.stopServer();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> "DOWN".equals(subscriptionHealth()));

        OwnRedisServer.startServer();
        await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(subscriptionHealth()));

        assertEventAfterReconnectIsStored();
    }

    private void assertEventAfterReconnectIsStored() {
        String id = "after-reconnect-" + UUID.randomUUID();
        String payload = "{\"error_id\":\"" + id + "\",\"severity\":\"error\",\"error_message\":\"back\"}";
        // the publishing connection may itself need a retry after a restart; PUBLISH says how many subscribers got it
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> RawPublish.publish(redis, channels.errors(), payload) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = $1", id) == 1);
    }

    private long numsub(String channel) {
        return redis.execute("PUBSUB", "NUMSUB", channel).get(1).toLong();
    }

    private static String subscriptionHealth() {
        return ManagementInterface.given().when().get("/q/health/ready").then().extract()
                .jsonPath().getString("checks.find { it.name == 'redis-subscription' }.status");
    }
}
