package dev.monitoring.gateway.live;

import dev.monitoring.testsupport.LiveClient;
import dev.monitoring.gateway.TestEvents;
import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway's own subscription comes back by itself when Redis drops it. */
@QuarkusTest
class LiveSubscriptionTest {
    private static final Pattern GATEWAY_SUBSCRIBER = Pattern.compile("id=(\\d+) .*name=api-gateway-test .*");

    @TestHTTPResource("/")
    URI base;

    @Inject
    Vertx vertx;

    @Inject
    RedisDataSource redis;

    @Inject
    LiveSubscription subscription;

    @Test
    void resubscribesAfterItsConnectionIsKilledAndClientsGetEventsAgain() throws Exception {
        try (LiveClient client = LiveClient.connect(base, "viewer", "viewer-test")) {
            assertThat(client.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            long reconnectsBefore = subscription.reconnects();

            // Only this gateway's pub/sub connections: other services share this Redis.
            List<String> killed = new ArrayList<>();
            for (String line : redis.execute("CLIENT", "LIST", "TYPE", "pubsub").toString().split("\n")) {
                Matcher m = GATEWAY_SUBSCRIBER.matcher(line.trim());
                if (m.matches()) {
                    redis.execute("CLIENT", "KILL", "ID", m.group(1));
                    killed.add(m.group(1));
                }
            }
            assertThat(killed).as("the gateway's subscriber connection").isNotEmpty();

            await().atMost(Duration.ofSeconds(10)).until(() -> subscription.reconnects() > reconnectsBefore);
            assertThat(subscription.subscribed()).isTrue();

            String message = "after reconnect " + System.nanoTime();
            redis.pubsub(String.class).publish(RealServices.ERRORS, TestEvents.error("error", "network", "T", message, null));
            assertThat(client.next(f -> f.json().path("error").path("message").asText().equals(message),
                    Duration.ofSeconds(2), new ArrayList<>())).isNotNull();
        }
    }
}
