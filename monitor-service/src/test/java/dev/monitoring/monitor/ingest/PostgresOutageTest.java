package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.EventPublisher;
import dev.monitoring.monitor.MonitorTables;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(PostgresOutageTest.ThroughProxy.class)
class PostgresOutageTest {
    static final TcpProxy PROXY = new TcpProxy(TcpProxy.freePort(), 5432);

    /** The reactive pool (the app's writes) goes through a proxy the test can cut; Flyway keeps the direct JDBC URL. */
    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxyResource.class));
        }
    }

    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            PROXY.open();
            return Map.of("quarkus.datasource.reactive.url",
                    "postgresql://127.0.0.1:" + PROXY.port() + "/${pg.database}");
        }

        @Override
        public void stop() {
            PROXY.cut();
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
    IngestMetrics metrics;
    @Inject
    StreamConsumer consumer;
    /** The publisher every Java producer (the runner) uses: PUBLISH plus the durable stream. */
    @Inject
    dev.monitoring.model.publish.EventPublisher sharedPublisher;

    @AfterEach
    void reopen() {
        PROXY.cut();
        PROXY.open();
    }

    @Test
    void eventsReceivedWhilePostgresIsAwayAreWrittenOnceItIsBack() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        String run = UUID.randomUUID().toString();
        double persistedBefore = metrics.persisted();
        double receivedBefore = metrics.received.count();

        PROXY.cut();
        assertThatThrownBy(() -> MonitorTables.count(pool, "SELECT 1")).isInstanceOf(RuntimeException.class);
        for (int i = 0; i < 50; i++) {
            EventPublisher.publish(redis, channels.errors(),
                    "{\"error_id\":\"" + run + "-" + i + "\",\"severity\":\"error\",\"error_message\":\"during outage\"}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.received.count() >= receivedBefore + 50);
        assertThat(metrics.persisted()).isEqualTo(persistedBefore);

        PROXY.open();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", run + "-%") == 50);
        assertThat(metrics.persisted()).isEqualTo(persistedBefore + 50);
    }

    /** Issue 8, fault test 3: PostgreSQL unreachable for 10 s while a producer keeps publishing through both paths. */
    @Test
    void tenSecondsWithoutPostgresWhileTheSharedPublisherSendsLosesNothingAndStoresNothingTwice() throws InterruptedException {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.subscribed() && consumer.reading());
        String run = "outage-" + UUID.randomUUID();
        String stream = channels.errors() + ":stream";
        int perSecond = 100;
        int seconds = 14;

        for (int s = 0; s < seconds; s++) {
            if (s == 2) {
                PROXY.cut();
            }
            if (s == 12) {
                PROXY.open();
            }
            for (int i = 0; i < perSecond; i++) {
                int n = s * perSecond + i;
                sharedPublisher.publish(new dev.monitoring.model.ErrorEvent(run + "-" + n, "OutageTest", "event " + run + " " + n,
                        null, dev.monitoring.model.Severity.ERROR, dev.monitoring.model.Category.DATABASE,
                        dev.monitoring.model.ErrorContext.of("outage-test", "publish", null, null), java.time.Instant.now()));
            }
            if (s == 10) {
                // eight seconds into the outage: readiness says so, and the stream holds what is not stored yet
                io.restassured.RestAssured.given().when().get("/q/health/ready").then().statusCode(503)
                        .body("checks.find { it.name.contains('PostgreSQL') }.status", org.hamcrest.Matchers.equalTo("DOWN"))
                        .body("checks.find { it.name == 'redis-stream' }.data.'" + stream + ".pending'", org.hamcrest.Matchers.greaterThan(0));
                assertThatThrownBy(() -> MonitorTables.count(pool, "SELECT 1")).isInstanceOf(RuntimeException.class);
            }
            Thread.sleep(1000); // paces the producer at 100 events/s; no assertion depends on it
        }
        assertThat(sharedPublisher.awaitDrained(Duration.ofSeconds(10))).isTrue();

        int total = perSecond * seconds;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", run + "-%") == total);
        // each event came twice (pub/sub and stream): one row, one group count, one minute count each
        assertThat(MonitorTables.count(pool, "SELECT sum(count) FROM monitor.error_groups WHERE error_type = 'OutageTest'")).isEqualTo(total);
        assertThat(MonitorTables.count(pool, "SELECT sum(count) FROM monitor.error_counts WHERE category = 'database'")).isEqualTo(total);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.execute("XPENDING", stream, consumer.group()).get(0).toLong() == 0);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.dead_letters")).isZero();
    }
}
