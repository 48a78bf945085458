package dev.monitoring.gateway.live;

import dev.monitoring.testsupport.LiveClient;
import dev.monitoring.gateway.TestEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.testsupport.ManagementInterface;
import dev.monitoring.testsupport.TcpRelay;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /q/health/live} means progress: a worker held on purpose turns it DOWN within the stall bound (2 s here), it
 * is UP again once released, and workers with nothing to do never count as stalled.
 */
@QuarkusTest
@TestProfile(ShortStallBound.class)
class LivenessTest {
    private static final Duration BOUND = Duration.parse("PT" + ShortStallBound.STALL_AFTER);
    /** What "within the bound" allows on top: one beat period, the probe's polling, a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeEach
    void findTheManagementLoop() {
        managementThread = ManagementInterface.given().when().get(ManagementLoop.PATH).then().statusCode(200).extract().asString();
    }

    @TestHTTPResource("/")
    URI base;

    /** The event loop the management server answers on. */
    private String managementThread;

    @Inject
    LiveEventRouter router;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    LiveSubscription subscription;

    @Inject
    LiveClients clients;

    @Test
    void quietWorkersAreNeverStalled() {
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(status(live())));
        // Twice the bound with nothing published: an idle subscription and an idle fan-out are not stalls.
        await().during(BOUND.multipliedBy(2)).atMost(BOUND.multipliedBy(4)).pollInterval(Duration.ofMillis(250))
                .until(() -> "UP".equals(status(live())));
        Map<String, String> workers = workers(awaitLive("UP", Duration.ofSeconds(2)));
        assertThat(workers.get("live-subscription")).startsWith("idle");
        assertThat(workers.get("live-fanout")).startsWith("idle");
        assertThat(workers).containsKeys("event-loop-0", "downstream-watch", "error-health-refresh");
        assertThat(workers.entrySet()).filteredOn(e -> e.getKey().startsWith("event-loop-"))
                .allSatisfy(e -> assertThat(e.getValue()).startsWith("running"));
    }

    /**
     * The fan-out's loop when it is not the one the management server answers on; another loop otherwise (the test
     * below holds that one), so the report of a held loop is always proven.
     */
    @Test
    void aBlockedEventLoopTurnsLivenessDownWithinTheBoundAndUpAfterItsRelease() throws Exception {
        Context fanOut = fanOutContext();
        Context held = servesManagement(fanOut) ? loopContext(name -> !name.equals(managementThread)) : fanOut;
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(status(live())));
        CountDownLatch release = new CountDownLatch(1);
        try {
            // What a blocking call in a message callback does: the loop runs nothing else.
            hold(held, release);
            Map<String, String> workers = workers(awaitLive("DOWN", BOUND.plus(SLACK)));
            assertThat(workers.entrySet()).as("the one loop held")
                    .filteredOn(e -> e.getKey().startsWith("event-loop-") && e.getValue().startsWith("stalled")).hasSize(1);
            // Held outside any routing or reconnect: those workers have nothing pending.
            assertThat(workers.get("live-fanout")).startsWith("idle");
            assertThat(workers.get("live-subscription")).startsWith("idle");
        } finally {
            release.countDown();
        }
        await().atMost(SLACK.multipliedBy(2)).until(() -> "UP".equals(status(live())));
    }

    /**
     * The management server answers on one event loop: held, the probes cannot answer at all, which the kubelet counts
     * as failed probes (its timeout), so the pod is restarted all the same; released, they answer UP again.
     */
    @Test
    void aBlockedManagementLoopLeavesTheProbesUnansweredAndTheyAnswerAgainAfterItsRelease() throws Exception {
        Context held = loopContext(managementThread::equals);
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(status(live())));
        CountDownLatch release = new CountDownLatch(1);
        try {
            hold(held, release);
            assertProbeUnanswered();
        } finally {
            release.countDown();
        }
        await().atMost(SLACK.multipliedBy(2)).until(() -> "UP".equals(status(live())));
    }

    /** Runs a blocking wait on {@code context}'s loop until {@code release}; returns once the loop is held. */
    private static void hold(Context context, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        context.runOnContext(v -> {
            holding.countDown();
            awaitQuietly(release);
        });
        assertThat(holding.await(5, TimeUnit.SECONDS)).as("the loop is held").isTrue();
    }

    /** A context on the first event loop whose thread name passes {@code wanted}. */
    private Context loopContext(Predicate<String> wanted) throws Exception {
        VertxInternal internal = (VertxInternal) vertx;
        for (EventExecutor executor : internal.getEventLoopGroup()) {
            Context context = internal.createEventLoopContext((EventLoop) executor, null, Thread.currentThread().getContextClassLoader());
            CompletableFuture<String> name = new CompletableFuture<>();
            context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
            if (wanted.test(name.get(5, TimeUnit.SECONDS))) {
                return context;
            }
        }
        throw new AssertionError("no event loop matches");
    }

    @Test
    void aBroadcastStuckOnALockTurnsLivenessDownAndTheErrorIsDeliveredAfterItsRelease() throws Exception {
        Set<String> before = new HashSet<>();
        clients.sessions().forEach(s -> before.add(s.id()));
        try (LiveClient client = LiveClient.connectAlone(base)) {
            assertThat(client.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            ClientSession session = clients.sessions().stream().filter(s -> !before.contains(s.id())).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(status(live())));
            boolean heldServesManagement = servesManagement(fanOutContext());

            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // The session's lock held elsewhere (a deadlock, a slow section): routing to this client cannot finish.
            Thread holder = new Thread(() -> {
                synchronized (session) {
                    locked.countDown();
                    awaitQuietly(release);
                }
            });
            holder.start();
            String message = "stuck " + System.nanoTime();
            try {
                assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();
                publish(RealServices.ERRORS, TestEvents.error("error", "network", "Stuck", message, null));
                if (heldServesManagement) {
                    assertProbeUnanswered();
                } else {
                    awaitLive(downWithStalled("live-fanout"), BOUND.plus(SLACK));
                }
            } finally {
                release.countDown();
                holder.join(5000);
            }
            await().atMost(SLACK.multipliedBy(2)).until(() -> "UP".equals(status(live())));
            assertThat(client.next(f -> f.json().path("error").path("message").asText().equals(message),
                    Duration.ofSeconds(3), new ArrayList<>())).as("the error, once the lock is released").isNotNull();
        }
    }

    @Test
    void aResubscribeThatRedisNeverAnswersTurnsLivenessDownAndUpOnceItAnswers() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> subscription.subscribed() && "UP".equals(status(live())));
        TcpRelay relay = ShortStallBound.RedisRelay.relay();
        // The subscription's connection is cut, and the Redis it reconnects to accepts and never answers.
        relay.freeze();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !subscription.subscribed() && relay.heldConnections() > 0);
            awaitLive(downWithStalled("live-subscription"), BOUND.plus(SLACK));
        } finally {
            relay.thaw();
        }
        await().atMost(Duration.ofSeconds(15)).until(subscription::subscribed);
        assertThat(workers(awaitLive("UP", SLACK.multipliedBy(2))).get("live-subscription")).startsWith("idle");

        try (LiveClient client = LiveClient.connectAlone(base)) {
            assertThat(client.next(Duration.ofSeconds(3)).type()).isEqualTo("hello");
            String message = "after thaw " + System.nanoTime();
            publish(RealServices.ERRORS, TestEvents.error("error", "network", "Thaw", message, null));
            assertThat(client.next(f -> f.json().path("error").path("message").asText().equals(message),
                    Duration.ofSeconds(3), new ArrayList<>())).as("events flow again").isNotNull();
        }
    }

    /** Polls {@code /q/health/live} until it says {@code status}, and returns that answer. */
    private JsonNode awaitLive(String status, Duration atMost) {
        return awaitLive(health -> status.equals(status(health)), atMost);
    }

    /** Polls {@code /q/health/live} until {@code wanted} holds for an answer, and returns that answer. */
    private JsonNode awaitLive(Predicate<JsonNode> wanted, Duration atMost) {
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode health = live();
            seen.set(health);
            return health != null && wanted.test(health);
        });
        return seen.get();
    }

    /**
     * Whether the loop of {@code context} is the one the management server runs on (asked before that loop is held):
     * then a held loop leaves the probes unanswered.
     */
    private boolean servesManagement(Context context) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
        return name.get(5, TimeUnit.SECONDS).equals(managementThread);
    }

    /** The held loop serves the management port: no probe answers within the kubelet's 1 s timeout, for the whole bound. */
    private void assertProbeUnanswered() {
        await().during(BOUND.plus(SLACK)).atMost(BOUND.plus(SLACK).multipliedBy(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> live() == null);
    }

    /** DOWN, with this worker stalled (others held by the same cause may stall a moment earlier). */
    private static Predicate<JsonNode> downWithStalled(String worker) {
        return health -> "DOWN".equals(status(health)) && String.valueOf(workers(health).get(worker)).startsWith("stalled");
    }

    /**
     * {@code redis-cli PUBLISH}, straight to Redis: the gateway's own client would wait for its reply on an event
     * loop that a test may be holding.
     */
    private static void publish(String channel, String payload) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", "6379", "PUBLISH", channel, payload)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    /** The context Redis messages are routed on, after one has been. */
    private Context fanOutContext() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            publish(RealServices.ERRORS, TestEvents.error("warning", "network", "WarmUp", "warm-up " + System.nanoTime(), null));
            return router.deliveryContext() != null;
        });
        return router.deliveryContext();
    }

    /**
     * {@code /q/health/live} on a connection of its own, or null without an answer within a second: a connection
     * the server put on the blocked event loop gets none, the next one most likely lands on another.
     */
    private JsonNode live() {
        try {
            HttpURLConnection c = (HttpURLConnection) ManagementInterface.uri("/q/health/live").toURL().openConnection();
            c.setRequestProperty("Connection", "close");
            c.setConnectTimeout(1000);
            c.setReadTimeout(1000);
            int status = c.getResponseCode();
            try (InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                return MAPPER.readTree(body);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static String status(JsonNode health) {
        return health == null ? null : health.path("status").asText();
    }

    /** The data of the "workers" check: worker name to "state (n ms since progress)[: reason]". */
    private static Map<String, String> workers(JsonNode health) {
        assertThat(health).as("an answer from /q/health/live").isNotNull();
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals("workers")) {
                Map<String, String> data = new java.util.TreeMap<>();
                check.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
                return data;
            }
        }
        throw new AssertionError("no workers check in " + health);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
