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
}
