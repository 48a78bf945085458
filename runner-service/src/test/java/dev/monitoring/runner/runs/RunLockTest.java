package dev.monitoring.runner.runs;

import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The run lock: held and renewed beyond its expiry while a run lasts, released only by its owner. */
@QuarkusTest
class RunLockTest {
    private final RunLock lock;
    private final RunCoordinator coordinator;
    private final JobCatalog catalog;
    private final RunnerTables tables;
    private final RedisDataSource redis;
    private final String key;
    private final Duration ttl;

    RunLockTest(RunLock lock, RunCoordinator coordinator, JobCatalog catalog, RunnerTables tables, RedisDataSource redis,
                @ConfigProperty(name = "runner.lock.key") String key, @ConfigProperty(name = "runner.lock.ttl") Duration ttl) {
        this.lock = lock;
        this.coordinator = coordinator;
        this.catalog = catalog;
        this.tables = tables;
        this.redis = redis;
        this.key = key;
        this.ttl = ttl;
    }

    @AfterEach
    void clean() {
        coordinator.cancel();
        redis.execute("DEL", key);
    }

    @Test
    void onlyTheOwnerReleasesTheLock() {
        assertThat(lock.acquire("replica-a")).isTrue();
        assertThat(lock.acquire("replica-b")).isFalse();

        lock.release("replica-b");
        assertThat(lock.holder()).contains("replica-a");
        assertThat(lock.renew("replica-b")).isEqualTo(RunLock.Renewal.LOST);
        assertThat(lock.renew("replica-a")).isEqualTo(RunLock.Renewal.RENEWED);

        lock.release("replica-a");
        assertThat(lock.holder()).isEmpty();
    }

    @Test
    void aRunKeepsItsLockPastTheExpiryAndReleasesItAtTheEnd() {
        tables.clear();
        catalog.replace(List.of(TestJobs.demo("long", ttl.multipliedBy(2), 0, List.of(new Target("AAPL", "1d")))));
        String runId = ((StartResult.Started) coordinator.start(Trigger.MANUAL, null, false)).batchRunId();
        long started = System.nanoTime();

        await().atMost(ttl.multipliedBy(3)).until(() -> System.nanoTime() - started > ttl.toNanos() + 500_000_000L);
        assertThat(coordinator.current()).isPresent();
        assertThat(lock.holder()).contains(runId);
        Response pttl = redis.execute("PTTL", key);
        assertThat(pttl.toLong()).isPositive();

        coordinator.cancel();
        assertThat(lock.holder()).isEmpty();
    }
}
