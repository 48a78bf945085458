package dev.monitoring.system.services;

import dev.monitoring.model.Category;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorContext;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.Severity;
import dev.monitoring.model.publish.EventPublisher;
import dev.monitoring.model.publish.PublisherConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@link EventPublisher} every Java producer uses (the runner's), outside Quarkus, on the system tests' channels:
 * PUBLISH plus the durable stream, with its in-memory outbox while Redis is away.
 */
final class SharedPublisher implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final EventPublisher publisher;

    SharedPublisher(int redisPort, int outboxCapacity) {
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + redisPort);
        publisher = new EventPublisher(new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client)),
                new Channels(), new Config(outboxCapacity), new SimpleMeterRegistry());
    }

    private record Channels() implements ChannelsConfig {
        public String errors() { return ServiceInstance.ERRORS; }
        public String executions() { return ServiceInstance.EXECUTIONS; }
        public String alerts() { return ServiceInstance.ALERTS; }
        public String notifications() { return "test.system.notifications"; }
        public String runnerChecks() { return "test.system:runner-checks"; }
    }

    private record Config(int outboxCapacity) implements PublisherConfig {
        public Duration retryInterval() { return Duration.ofMillis(200); }
        public Duration publishTimeout() { return Duration.ofSeconds(2); }
        public boolean streamEnabled() { return true; }
        public long streamMaxLength() { return 100_000; }
    }

    /** An error with a known id, so the test can count exactly what arrived. */
    void publishError(String errorId, String component) {
        publisher.publish(new ErrorEvent(errorId, "ZeroLossTest", "event " + errorId, null, Severity.ERROR,
                Category.VALIDATION, ErrorContext.of(component, "publish", null, null), Instant.now()));
    }

    EventPublisher publisher() {
        return publisher;
    }

    @Override
    public void close() {
        publisher.awaitDrained(Duration.ofSeconds(5));
        vertx.close().await().atMost(Duration.ofSeconds(30));
    }
}
