package dev.monitoring.gateway.live;

import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Overload: 1,000 errors in a second reach a client as about 10 frames per second, with nothing silently lost. */
@QuarkusTest
class ThrottlingTest {
    private static final int FRAMES_PER_SECOND = 10;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Vertx vertx;

    @Inject
    RedisDataSource redis;

    private LiveClient viewer() throws Exception {
        LiveClient client = LiveClient.connect(vertx, base, "viewer", "viewer-test");
        assertThat(client.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
        // Only errors count here: the monitor may raise alerts about the burst on the same test channels.
        client.send("{\"filter\":{\"min_severity\":\"warning\"}}");
        assertThat(client.next(f -> f.type().equals("filter_ok"), Duration.ofSeconds(1), new ArrayList<>())).isNotNull();
        return client;
    }

    @Test
    void aBurstOfIdenticalErrorsIsFoldedIntoAtMostTenFramesPerSecondWithExactCounts() throws Exception {
        try (LiveClient client = viewer()) {
            String tag = "burst " + System.nanoTime();
            PubSubCommands<String> pubsub = redis.pubsub(String.class);
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                pubsub.publish(RealServices.ERRORS, TestEvents.error("warning", "pattern", "Burst", tag + " kind " + (i % 5), "AAPL"));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

            List<LiveClient.Frame> frames = new ArrayList<>();
            Map<String, Integer> counts = new HashMap<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (LiveClient.Frame f : client.drainReceived()) {
                    String message = f.json().path("error").path("message").asText();
                    if (f.type().equals("error") && message.startsWith(tag)) {
                        frames.add(f);
                        counts.merge(message, f.json().path("count").asInt(), Integer::sum);
                    }
                }
                return counts.values().stream().mapToInt(Integer::intValue).sum() >= 1000;
            });

            assertThat(counts).hasSize(5).allSatisfy((message, count) -> assertThat(count).isEqualTo(200));
            assertThat(frames.size()).isLessThan(40);
            assertThat(maxFramesInAnySecond(frames)).isLessThanOrEqualTo(FRAMES_PER_SECOND + 1);
        }
    }

    @Test
    void aClientThatDoesNotReadDoesNotDelayAnotherAndOverflowIsReported() throws Exception {
        try (LiveClient stuck = viewer(); LiveClient reader = viewer()) {
            stuck.pause();
            String tag = "distinct " + System.nanoTime();
            PubSubCommands<String> pubsub = redis.pubsub(String.class);
            for (int i = 0; i < 1000; i++) {
                pubsub.publish(RealServices.ERRORS, TestEvents.error("error", "network", "Distinct", tag + " #" + i, null));
            }
            String last = tag + " last";
            long published = System.nanoTime();
            pubsub.publish(RealServices.ERRORS, TestEvents.error("error", "network", "Distinct", last, null));

            // The queue holds 20 frames in tests: the last error is at most 20 frames (2 s at 10/s) behind.
            List<LiveClient.Frame> before = new ArrayList<>();
            LiveClient.Frame lastFrame = reader.next(f -> f.json().path("error").path("message").asText().equals(last),
                    Duration.ofSeconds(4), before);
            assertThat(lastFrame).as("the last error reaches the reading client").isNotNull();
            assertThat(Duration.ofNanos(lastFrame.arrivedNanos() - published)).isLessThan(Duration.ofSeconds(4));

            long delivered = before.stream().filter(f -> f.type().equals("error")
                    && f.json().path("error").path("message").asText().startsWith(tag)).count() + 1;
            long dropped = before.stream().filter(f -> f.type().equals("dropped"))
                    .mapToLong(f -> f.json().path("count").asLong()).sum();
            assertThat(dropped).as("overflow is reported").isPositive();
            // Nothing vanishes silently: every error was either delivered or counted as dropped.
            assertThat(delivered + dropped).isGreaterThanOrEqualTo(1001);
        }
    }

    private static int maxFramesInAnySecond(List<LiveClient.Frame> frames) {
        int max = 0;
        for (int i = 0; i < frames.size(); i++) {
            int n = 0;
            for (int j = i; j < frames.size() && frames.get(j).arrivedNanos() - frames.get(i).arrivedNanos() < 1_000_000_000L; j++) {
                n++;
            }
            max = Math.max(max, n);
        }
        return max;
    }
}
