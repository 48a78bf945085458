package dev.monitoring.runner.runs;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.InvalidEventException;
import dev.monitoring.runner.jobs.JobCatalog;
import dev.monitoring.runner.jobs.Target;
import dev.monitoring.runner.jobs.TestJobs;
import dev.monitoring.testsupport.Resp;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
    private final RunRepository repository;
    private final ChannelsConfig channels;
    private final String redisHosts;
    private final EventCodec codec = new EventCodec();

    RunLockTest(RunLock lock, RunCoordinator coordinator, JobCatalog catalog, RunnerTables tables, RedisDataSource redis,
                RunRepository repository, ChannelsConfig channels, @ConfigProperty(name = "runner.lock.key") String key,
                @ConfigProperty(name = "runner.lock.ttl") Duration ttl,
                @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts) {
        this.lock = lock;
        this.repository = repository;
        this.channels = channels;
        this.redisHosts = redisHosts;
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

    @Test
    void aRunWhoseLockAnotherOwnerTookStopsAndSaysWhy() throws Exception {
        tables.clear();
        catalog.replace(List.of(TestJobs.demo("long", ttl.multipliedBy(5), 0, List.of(new Target("AAPL", "1d")))));
        URI redisUri = URI.create(redisHosts);
        try (Resp.Subscription errors = Resp.tcp(redisUri.getHost(), redisUri.getPort()).subscription(channels.errors())) {
            String runId = ((StartResult.Started) coordinator.start(Trigger.MANUAL, null, false)).batchRunId();
            await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.current().map(r -> r.total() == 1).orElse(false));

            // another replica took the lock (after ours expired in a network cut, say)
            redis.execute("SET", key, "run-of-another-replica", "PX", "20000");

            await().atMost(ttl.multipliedBy(3)).until(() -> coordinator.current().isEmpty());
            RunRecord run = repository.findRun(runId).orElseThrow();
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.message()).isEqualTo("lost the batch-run lock to another replica");
            assertThat(lock.holder()).as("the other owner's lock is left alone").contains("run-of-another-replica");
            ErrorEvent error = await().atMost(Duration.ofSeconds(10))
                    .until(() -> runError(errors, runId), Optional::isPresent).orElseThrow();
            assertThat(error.errorType()).isEqualTo("RunLockLost");
            assertThat(error.errorMessage()).isEqualTo("lost the batch-run lock to another replica");
        }
    }

    @Test
    void aRunWhoseLockKeyVanishedTakesItBackAndCarriesOn() {
        tables.clear();
        catalog.replace(List.of(TestJobs.demo("long", ttl.multipliedBy(2), 0, List.of(new Target("AAPL", "1d")))));
        String runId = ((StartResult.Started) coordinator.start(Trigger.MANUAL, null, false)).batchRunId();
        assertThat(lock.holder()).contains(runId);

        // Redis restarted empty, or someone deleted the key
        redis.execute("DEL", key);

        await().atMost(ttl).pollInterval(Duration.ofMillis(50)).until(() -> lock.holder().isPresent());
        assertThat(lock.holder()).as("taken back by the run's next renewal").contains(runId);
        assertThat(coordinator.current()).isPresent();
        await().atMost(ttl.multipliedBy(5)).until(() -> coordinator.current().isEmpty());
        assertThat(repository.findRun(runId).orElseThrow().status()).isEqualTo("completed");
        assertThat(lock.holder()).isEmpty();
    }

    /** The error event of the run itself (not of one of its executions), once it arrived. */
    private Optional<ErrorEvent> runError(Resp.Subscription errors, String runId) throws InvalidEventException {
        for (Resp.Subscription.Message m : errors.queue) {
            ErrorEvent e = codec.decodeError(m.payload());
            if ("batch-run".equals(e.context().operation()) && runId.equals(e.context().metadata().get("batch_run_id"))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
