package dev.monitoring.monitor.ingest;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import dev.monitoring.monitor.ingest.stream.StreamConsumer;
import dev.monitoring.monitor.selfwatch.SelfWatch;
import dev.monitoring.testsupport.ManagementInterface;
import dev.monitoring.testsupport.TcpRelay;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(PostgresOutageTest.ThroughProxy.class)
class PostgresOutageTest {
    static final TcpRelay PROXY = new TcpRelay(5432);
    static final int BUFFER = 600;

    /** The reactive pool (the app's writes) goes through a proxy the test can cut; Flyway keeps the direct JDBC URL. */
    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxyResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // smaller than what the outage brings (14 s x 100 events, each twice): the buffer overflows, so only the
            // durable stream can deliver everything
            return Map.of("monitor.self-watch.postgres-down-after", "2s", "monitor.ingest.buffer-capacity", Integer.toString(BUFFER));
        }
    }

    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            PROXY.start();
            return Map.of("quarkus.datasource.reactive.url",
                    "postgresql://127.0.0.1:" + PROXY.port() + "/${pg.database}");
        }

        @Override
        public void stop() {
            PROXY.stop();
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    SelfWatch selfWatch;
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
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @AfterEach
    void reopen() {
        PROXY.stop();
        PROXY.start();
    }

    /**
     * Each test starts with PostgreSQL answering through the pool: the connections the last test's cut closed are
     * handed out once more, failing, before the pool drops them ("Connection is not active now").
     */
    @BeforeEach
    void poolAnswers() {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> MonitorTables.count(pool, "SELECT 1") == 1);
    }

    @Test
    void eventsReceivedWhilePostgresIsAwayAreWrittenOnceItIsBack() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        String run = UUID.randomUUID().toString();
        double persistedBefore = metrics.persisted();
        double receivedBefore = metrics.received.count();

        PROXY.stop();
        assertThatThrownBy(() -> MonitorTables.count(pool, "SELECT 1")).isInstanceOf(RuntimeException.class);
        for (int i = 0; i < 50; i++) {
            RawPublish.publish(redis, channels.errors(),
                    "{\"error_id\":\"" + run + "-" + i + "\",\"severity\":\"error\",\"error_message\":\"during outage\"}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.received.count() >= receivedBefore + 50);
        assertThat(metrics.persisted()).isEqualTo(persistedBefore);
        // the API says why it cannot answer: a 503 naming PostgreSQL, not a 500 or Quarkus' error page
        for (String path : List.of("/api/errors/recent", "/api/errors/groups", "/api/alerts")) {
            given().get(path).then().statusCode(503).contentType("application/json")
                    .body("error", org.hamcrest.Matchers.startsWith("PostgreSQL unavailable"));
        }

        PROXY.start();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id LIKE $1", run + "-%") == 50);
        assertThat(metrics.persisted()).isEqualTo(persistedBefore + 50);
    }

    @Test
    void postgresAwayPastTheBoundIsAlertedLiveAtOnceAndRecordedOnceItIsBack() {
        ConcurrentLinkedQueue<String> alerts = new ConcurrentLinkedQueue<>();
        PubSubCommands.RedisSubscriber listener = redis.pubsub(String.class).subscribe(channels.alerts(), alerts::add);
        try {
            PROXY.stop();
            assertThat(selfWatch.check()).extracting(c -> c.rule()).doesNotContain("postgres_unreachable"); // the clock starts
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    selfWatch.check().stream().anyMatch(c -> c.rule().equals("postgres_unreachable")));
            await().atMost(Duration.ofSeconds(5)).until(() -> alerts.stream().anyMatch(a -> a.contains("\"rule\":\"postgres_unreachable\"")));
            assertThatThrownBy(() -> MonitorTables.count(pool, "SELECT 1")).as("still away while it was published").isInstanceOf(RuntimeException.class);

            PROXY.start();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    selfWatch.check().stream().noneMatch(c -> c.rule().equals("postgres_unreachable")));
            assertThat(MonitorTables.count(pool, """
                    SELECT count(*) FROM monitor.alerts
                    WHERE rule = 'postgres_unreachable' AND resolved_at IS NOT NULL AND resolved_at > first_seen""")).isEqualTo(1);
        } finally {
            listener.unsubscribe();
        }
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
        double skippedBefore = registry.get("monitor.ingest.durable_copies_skipped").counter().count();
        double fromStreamBefore = metrics.streamReceived.count();

        for (int s = 0; s < seconds; s++) {
            if (s == 2) {
                PROXY.stop();
            }
            if (s == 12) {
                PROXY.start();
            }
            for (int i = 0; i < perSecond; i++) {
                int n = s * perSecond + i;
                sharedPublisher.publish(new dev.monitoring.model.ErrorEvent(run + "-" + n, "OutageTest", "event " + run + " " + n,
                        null, dev.monitoring.model.Severity.ERROR, dev.monitoring.model.Category.DATABASE,
                        dev.monitoring.model.ErrorContext.of("outage-test", "publish", null, null), java.time.Instant.now()));
            }
            if (s == 10) {
                // eight seconds into the outage: readiness says so, and the stream holds what is not stored yet
                ManagementInterface.given().when().get("/q/health/ready").then().statusCode(503)
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
        // one row, one group count, one minute count each
        assertThat(MonitorTables.count(pool, "SELECT sum(count) FROM monitor.error_groups WHERE error_type = 'OutageTest'")).isEqualTo(total);
        assertThat(MonitorTables.count(pool, "SELECT sum(count) FROM monitor.error_counts WHERE category = 'database'")).isEqualTo(total);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.execute("XPENDING", stream, consumer.group()).get(0).toLong() == 0);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.dead_letters")).isZero();
        // everything came through the stream: the pub/sub copies were skipped unread (with the stream consumer off
        // they would be ingested, overflow the small buffer during the outage, and events would be missing)
        assertThat(metrics.streamReceived.count() - fromStreamBefore).as("entries taken from the stream").isGreaterThanOrEqualTo(total);
        assertThat(registry.get("monitor.ingest.durable_copies_skipped").counter().count() - skippedBefore)
                .as("pub/sub copies skipped").isEqualTo(total);
    }
}
