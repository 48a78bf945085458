package dev.monitoring.model.publish;


import dev.monitoring.model.Category;
import dev.monitoring.model.ErrorContext;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.model.Severity;
import dev.monitoring.model.ChannelsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The publisher against a real redis-server of its own, stopped and started again by the test. */
class EventPublisherTest {
    private final EventCodec codec = new EventCodec();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Vertx vertx;
    private ReactiveRedisDataSourceImpl redis;
    private EventPublisher publisher;

    @BeforeEach
    void start() {
        PublisherRedis.startOnFreePort();
        vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + PublisherRedis.port);
        redis = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
        publisher = new EventPublisher(redis, new Channels(), new Config(5, 1000), registry);
    }

    @AfterEach
    void stop() {
        publisher.close();
        vertx.closeAndAwait();
        PublisherRedis.stopServer();
    }

    private record Channels() implements ChannelsConfig {
        public String errors() { return "test.publisher.errors"; }
        public String executions() { return "test.publisher.executions"; }
        public String alerts() { return "test.publisher.alerts"; }
        public String notifications() { return "test.publisher.notifications"; }
        public String runnerChecks() { return "test.publisher:runner-checks"; }
    }

    private record Config(int outboxCapacity, long streamMaxLength) implements PublisherConfig {
        public Duration retryInterval() { return Duration.ofMillis(100); }
        public Duration publishTimeout() { return Duration.ofSeconds(2); }
        public boolean streamEnabled() { return true; }
    }

    @Test
    void appendsErrorsAndExecutionsToTheirCappedStreamInOrderButAlertsOnlyToPubSub() {
        EventPublisher big = new EventPublisher(redis, new Channels(), new Config(10_000, 1000), registry);
        for (int i = 0; i < 600; i++) { // more than one pipelined batch
            big.publish(error("stream " + i));
        }
        big.publish(ExecutionEvent.run(ExecutionEventType.RUN_STARTED, "run-s").build());
        big.publish("test.publisher.alerts", java.util.Map.of("alert_id", "a-1"));
        assertThat(big.awaitDrained(Duration.ofSeconds(10))).isTrue();

        assertThat(command("XLEN", "test.publisher.errors:stream").toLong()).isEqualTo(600);
        var entries = command("XRANGE", "test.publisher.errors:stream", "-", "+");
        List<String> messages = new ArrayList<>();
        for (var entry : entries) {
            var fields = entry.get(1);
            assertThat(fields.get(0).toString()).isEqualTo(dev.monitoring.model.Channels.STREAM_FIELD);
            messages.add(decodeMessage(fields.get(1).toString()));
        }
        assertThat(messages).containsExactlyElementsOf(IntStream.range(0, 600).mapToObj(i -> "stream " + i).toList());

        var execution = command("XRANGE", "test.publisher.executions:stream", "-", "+");
        assertThat(execution.size()).isEqualTo(1);
        assertThat(execution.get(0).get(1).get(1).toString()).contains("run-s");
        assertThat(command("EXISTS", "test.publisher.alerts:stream").toInteger()).isZero();

        // MAXLEN ~ trims whole nodes of 100 entries: near the cap, never far above it.
        for (int i = 0; i < 3000; i++) {
            big.publish(error("more " + i));
        }
        assertThat(big.awaitDrained(Duration.ofSeconds(10))).isTrue();
        assertThat(command("XLEN", "test.publisher.errors:stream").toLong()).isBetween(1000L, 1100L);
        big.close();
    }

    private io.vertx.mutiny.redis.client.Response command(String name, String... args) {
        return redis.execute(name, args).await().atMost(Duration.ofSeconds(5));
    }

    private String decodeMessage(String payload) {
        try {
            return codec.decodeError(payload).errorMessage();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void publishesEachKindOnItsChannelInOrderAndKeepsALoudBoundedOutboxWhileRedisIsDown() throws Exception {
        try (PublisherRedis.Subscriber subscriber = new PublisherRedis.Subscriber("test.publisher.errors", "test.publisher.executions")) {
            publisher.publish(error("first"));
            publisher.publish(ExecutionEvent.run(ExecutionEventType.RUN_STARTED, "run-1").build());

            List<String> received = new ArrayList<>();
            Wait.until(Duration.ofSeconds(5), () -> {
                subscriber.payloads.drainTo(received);
                return received.size() == 2;
            });
            assertThat(codec.decodeError(received.get(0)).errorMessage()).isEqualTo("first");
            // published without an id: the publisher gives it one, the same on both paths, so the monitor stores it once
            String streamCopy = command("XRANGE", "test.publisher.errors:stream", "-", "+").get(0).get(1).get(1).toString();
            // the pub/sub copy is the stream's marked as durable, so a monitor consuming the stream skips it unread
            assertThat(received.get(0)).contains("\"error_id\":\"").isEqualTo(dev.monitoring.model.Channels.markDurable(streamCopy)).startsWith("{\"durable\":true,");
            assertThat(dev.monitoring.model.Channels.markedDurable(received.get(0))).isTrue();
            assertThat(codec.decodeError(received.get(0))).isEqualTo(codec.decodeError(streamCopy));
            assertThat(codec.decodeExecution(received.get(1)).batchRunId()).isEqualTo("run-1");
        }

        PublisherRedis.stopServer();
        IntStream.range(0, 8).forEach(i -> publisher.publish(error("while down " + i)));
        Wait.until(Duration.ofSeconds(5), () -> !publisher.status().redisReachable());
        OutboxStatus down = publisher.status();
        assertThat(down.size()).isEqualTo(5);
        assertThat(down.full()).isTrue();
        assertThat(down.dropped()).isEqualTo(3);
        assertThat(registry.counter("monitoring.publisher.dropped").count()).isEqualTo(3.0);

        PublisherRedis.startServer();
        // The publisher retries every 100 ms: subscribe at once, and whatever the race, order must hold.
        try (PublisherRedis.Subscriber subscriber = new PublisherRedis.Subscriber("test.publisher.errors")) {
            publisher.publish(error("after"));
            List<String> received = new ArrayList<>();
            Wait.until(Duration.ofSeconds(5), () -> {
                subscriber.payloads.drainTo(received);
                return received.stream().anyMatch(p -> p.contains("\"after\""));
            });
            List<String> messages = received.stream().map(p -> {
                try {
                    return codec.decodeError(p).errorMessage();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            // The oldest three were dropped; what was kept arrives in order, followed by the new event.
            List<String> expected = List.of("while down 3", "while down 4", "while down 5", "while down 6",
                    "while down 7", "after");
            assertThat(expected).endsWith(messages.toArray(String[]::new));
            assertThat(messages).last().isEqualTo("after");
        }
        Wait.until(Duration.ofSeconds(5), () -> publisher.status().size() == 0);
        assertThat(publisher.status().redisReachable()).isTrue();
        assertThat(publisher.status().lastError()).isNull();
    }

    private static ErrorEvent error(String message) {
        return new ErrorEvent(null, "TestError", message, null, Severity.ERROR, Category.NETWORK,
                ErrorContext.of("publisher-test", "publish", null, null), Instant.now());
    }
}
