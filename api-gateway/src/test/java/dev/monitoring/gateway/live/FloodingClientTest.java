package dev.monitoring.gateway.live;

import dev.monitoring.testsupport.LiveClient;
import dev.monitoring.gateway.TestEvents;
import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.testsupport.ManagementInterface;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * A client's own messages cannot make the gateway hold more than a fixed amount for it, nor keep its event loop busy:
 * a viewer that sends 100,000 filters and never reads is cut off with a reason (4008) once it has sent ten times its
 * message rate within a second, having held at most {@code gateway.live.queue-bytes}, and another client meanwhile
 * gets its errors promptly. Filters sent faster than the rate wait, the newest replacing the older. Too large a
 * message is refused with a reason and counted.
 */
@QuarkusTest
class FloodingClientTest {
    private static final int FILTERS = 100_000;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Inject
    LiveClients clients;

    @Inject
    GatewayConfig config;

    private LiveClient viewer() throws Exception {
        LiveClient client = LiveClient.connectAlone(base);
        LiveClient.Frame hello = client.next(Duration.ofSeconds(3));
        assertThat(hello).as("hello frame").isNotNull();
        assertThat(hello.type()).isEqualTo("hello");
        return client;
    }

    private ClientSession newSession(Set<String> before) {
        await().atMost(Duration.ofSeconds(3)).until(() -> clients.sessions().stream().anyMatch(s -> !before.contains(s.id())));
        return clients.sessions().stream().filter(s -> !before.contains(s.id())).findFirst().orElseThrow();
    }

    @Test
    void aClientFloodingFiltersWithoutReadingIsCutOffWithAReasonHoldsABoundedQueueAndDoesNotDelayAnother() throws Exception {
        long bound = config.live().queueBytes().asLongValue();
        double cutOffBefore = clients.metrics().cutOff().count();
        try (LiveClient reader = viewer()) {
            Set<String> before = new HashSet<>();
            clients.sessions().forEach(s -> before.add(s.id()));
            try (LiveClient flooder = viewer()) {
                ClientSession flooded = newSession(before);
                InboundLimit inbound = flooded.inbound();
                flooder.pause();

                // sends until the gateway has closed the connection; how many it sent
                CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> {
                    for (int i = 0; i < FILTERS; i++) {
                        try {
                            flooder.send("{\"filter\":{\"min_severity\":\"warning\",\"symbol\":\"F" + i + "\"}}");
                        } catch (java.util.concurrent.CompletionException closed) {
                            return i;
                        }
                    }
                    return FILTERS;
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> inbound.received() >= 1);

                String sentinel = "sentinel " + System.nanoTime();
                long published = System.nanoTime();
                redis.pubsub(String.class).publish(RealServices.ERRORS, TestEvents.error("error", "network", "Sentinel", sentinel, null));
                LiveClient.Frame got = reader.next(f -> f.json().path("error").path("message").asText().equals(sentinel),
                        Duration.ofSeconds(5), new ArrayList<>());
                assertThat(got).as("the reading client gets the sentinel while the other one floods").isNotNull();
                org.jboss.logging.Logger.getLogger(FloodingClientTest.class).infof("sentinel delivered in %d ms; the gateway "
                        + "received %d filters before the cut-off", Duration.ofNanos(got.arrivedNanos() - published).toMillis(),
                        inbound.received());
                // Not held up behind the flood. Before the cut-off, a flood sharing an event loop with the Redis
                // subscriber had every live error wait 3.6-5.1 s for the loop to parse and answer the filters before it.
                assertThat(Duration.ofNanos(got.arrivedNanos() - published)).isLessThan(Duration.ofSeconds(5));

                flood.get(60, java.util.concurrent.TimeUnit.SECONDS); // the client's buffers may take it all
                flooder.resume();
                await().atMost(Duration.ofSeconds(15)).until(flooder::isClosed);
                // The connection is closed a second after the close frame the flooder does not read: the rest of the
                // flood is never read (with Vert.x's default 10 s the gateway read on, 46,000-61,000 of 100,000).
                assertThat(inbound.received()).as("filters the gateway read of %d", FILTERS).isLessThan(FILTERS);
                // A client that does not read may lose the close frame with the reason (the TCP connection is reset
                // over the messages it still sends); one that reads gets it (the next test).
                assertThat(flooder.closeCode()).as("close code (-1: reset before the close frame was read)").isIn(ErrorsWebSocket.TOO_MANY_MESSAGES, -1);
                assertThat(inbound.cutOff()).isTrue();
                assertThat(clients.metrics().cutOff().count()).isEqualTo(cutOffBefore + 1);
                assertThat(flooded.peakQueuedBytes()).as("most bytes ever held for the flooding client")
                        .isPositive().isLessThanOrEqualTo(bound);
                assertThat(reader.isClosed()).as("the reading client").isFalse();
            }
        }
    }

    /** A client that sends ten times its rate within a second is cut off, and told why. */
    @Test
    void aClientSendingTenTimesItsRateWithinASecondIsCutOffWithTheReason() throws Exception {
        int cutOffAfter = InboundLimit.CUT_OFF_FACTOR * config.live().clientMessagesPerSecond();
        try (LiveClient client = viewer()) {
            for (int i = 0; i <= cutOffAfter && !client.isClosed(); i++) {
                try {
                    client.send("{\"filter\":{\"symbol\":\"C" + i + "\"}}");
                } catch (java.util.concurrent.CompletionException closed) {
                    break;
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(client::isClosed);
            assertThat(client.closeCode()).isEqualTo(ErrorsWebSocket.TOO_MANY_MESSAGES);
            assertThat(client.closeReason()).isEqualTo("too many messages: more than " + cutOffAfter + " in a second");
        }
    }

    /**
     * Faster than its rate but no flood: the filters over the rate wait, each replaced by the next before it is
     * handled, and the last one sent is the one in effect, answered last.
     */
    @Test
    void filtersSentFasterThanTheRateWaitAndTheLastOneSentIsTheOneInEffect() throws Exception {
        int perSecond = config.live().clientMessagesPerSecond();
        int burst = 5 * perSecond; // over the rate (a second's worth at once), under the cut-off (ten seconds' worth)
        try (LiveClient client = viewer()) {
            for (int i = 0; i < burst; i++) {
                client.send("{\"filter\":{\"symbol\":\"B" + i + "\"}}");
            }
            List<LiveClient.Frame> frames = new ArrayList<>();
            LiveClient.Frame lastOk = client.next(f -> f.type().equals("filter_ok")
                    && f.json().path("filter").path("symbol").asText().equals("B" + (burst - 1)), Duration.ofSeconds(10), frames);
            assertThat(lastOk).as("the reply to the last filter sent").isNotNull();
            List<String> answered = new ArrayList<>();
            frames.stream().filter(f -> f.type().equals("filter_ok")).forEach(f -> answered.add(f.json().path("filter").path("symbol").asText()));
            answered.add("B" + (burst - 1));
            ClientSession mine = clients.sessions().stream().filter(s -> s.filter().symbol() != null
                    && s.filter().symbol().equals("B" + (burst - 1))).findFirst().orElseThrow();
            InboundLimit inbound = mine.inbound();
            assertThat(inbound.cutOff()).isFalse();
            assertThat(client.isClosed()).isFalse();
            // A second's worth handled at once, then the last; every other one replaced unhandled. A handled filter's
            // filter_ok still waiting for the socket when the next one is handled is replaced by the newer reply: the
            // writes of a loop turn leave together (see WebSocketFlushes), so a few of the second's worth may fold.
            long handled = answered.size() + mine.repliesFolded();
            assertThat(answered).as("filters answered").endsWith("B" + (burst - 1)).hasSizeGreaterThan(ClientSession.MAX_IN_FLIGHT);
            assertThat(handled).as("filters handled").isBetween(perSecond + 1L, perSecond + 3L);
            assertThat(inbound.replaced() + handled).as("every filter handled or replaced").isEqualTo(burst);
            assertThat(mine.filter().symbol()).isEqualTo("B" + (burst - 1));
        }
    }

    @Test
    void aMessageOverTheLimitIsRefusedWithAReasonAndCounted() throws Exception {
        long max = config.live().maxMessageSize().asLongValue();
        try (LiveClient client = viewer()) {
            double refusedBefore = clients.metrics().refused().count();
            client.send("{\"filter\":{\"symbol\":\"" + "x".repeat((int) max) + "\"}}");
            LiveClient.Frame refusal = client.next(f -> f.json().has("reason"), Duration.ofSeconds(2), new ArrayList<>());
            assertThat(refusal).isNotNull();
            assertThat(refusal.type()).isEqualTo("error");
            assertThat(refusal.json().path("reason").asText())
                    .isEqualTo("message too large: " + (max + 24) + " bytes (max " + max + ")");
            assertThat(clients.metrics().refused().count()).isEqualTo(refusedBefore + 1);

            // Still open and served: a filter just under the limit is applied.
            client.send("{\"filter\":{\"symbol\":\"" + "y".repeat((int) max - 24) + "\"}}");
            LiveClient.Frame ok = client.next(f -> f.type().equals("filter_ok"), Duration.ofSeconds(2), new ArrayList<>());
            assertThat(ok).isNotNull();
            assertThat(ok.json().path("filter").path("symbol").asText()).hasSize((int) max - 24);
            assertThat(clients.metrics().refused().count()).isEqualTo(refusedBefore + 1);
            ManagementInterface.given().when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("gateway_ws_messages_refused_total " + (refusedBefore + 1)))
                    .body(containsString("gateway_ws_queued_bytes "))
                    .body(containsString("gateway_ws_replies_folded_total "));
        }
    }

    @Test
    void aMessageOverWhatTheTransportTakesClosesTheConnectionWithAReason() throws Exception {
        try (LiveClient client = viewer()) {
            double refusedBefore = clients.metrics().refused().count();
            try {
                client.send("x".repeat(200_000));
            } catch (RuntimeException e) {
                // the server may close while the message is still being written
            }
            await().atMost(Duration.ofSeconds(5)).until(client::isClosed);
            assertThat(client.closeCode()).isEqualTo(1009);
            assertThat(client.closeReason()).isEqualTo("message too large (max 65536 bytes)");
            assertThat(clients.metrics().refused().count()).isEqualTo(refusedBefore + 1);
        }
    }
}
