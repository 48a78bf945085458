package dev.monitoring.gateway.live;

import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The per-client queue on its own: a socket that never takes a frame only fills its own bounded queue. */
class ClientSessionTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    private static LiveFrame error(int i) {
        return new LiveFrame("error", "error\u0000" + i, Severity.ERROR, Category.NETWORK, null,
                "\"error\":{\"message\":\"m" + i + "\"}");
    }

    @Test
    void aSocketThatNeverTakesAFrameDoesNotHoldUpAnotherClient() {
        // A write that never completes: the state of a client whose TCP window is full.
        ClientSession stuck = new ClientSession("stuck", text -> Uni.createFrom().nothing(), vertx, 10, 5);
        List<String> received = new CopyOnWriteArrayList<>();
        ClientSession healthy = new ClientSession("healthy", text -> {
            received.add(text);
            return Uni.createFrom().voidItem();
        }, vertx, 10, 5);

        for (int i = 0; i < 100; i++) {
            stuck.offer(error(i));
            healthy.offer(error(i));
        }

        assertThat(stuck.waitingFrames()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(3)).until(() -> received.stream().anyMatch(t -> t.contains("\"m99\"")));
        assertThat(received.get(0)).contains("\"m0\"");
        assertThat(received).anyMatch(t -> t.startsWith("{\"type\":\"dropped\",\"count\":"));
    }

    @Test
    void oneBroadcastIsOneTextSharedByEveryClientAndOnlyAFoldedFrameGetsItsOwn() {
        List<List<String>> received = new CopyOnWriteArrayList<>();
        List<ClientSession> sessions = new java.util.ArrayList<>();
        for (int c = 0; c < 3; c++) {
            List<String> texts = new CopyOnWriteArrayList<>();
            received.add(texts);
            sessions.add(new ClientSession("c" + c, text -> {
                texts.add(text);
                return Uni.createFrom().voidItem();
            }, vertx, 100_000, 100));
        }
        LiveFrame frame = error(1);
        sessions.forEach(s -> s.offer(frame));

        await().atMost(Duration.ofSeconds(3)).until(() -> received.stream().allMatch(texts -> texts.size() == 1));
        assertThat(received.get(0).get(0)).isEqualTo("{\"type\":\"error\",\"count\":1,\"error\":{\"message\":\"m1\"}}");
        // the same instance: no client's frame is a copy of the body
        assertThat(received.get(1).get(0)).isSameAs(received.get(0).get(0));
        assertThat(received.get(2).get(0)).isSameAs(received.get(0).get(0));

        // a client whose identical frames folded while they waited gets a text of its own, with their count
        assertThat(frame.render(3)).isEqualTo("{\"type\":\"error\",\"count\":3,\"error\":{\"message\":\"m1\"}}");
    }

    @Test
    void noMoreThanTheLimitLeaveInAnyOneSecondWindow() {
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        List<String> sent = new CopyOnWriteArrayList<>();
        ClientSession session = new ClientSession("s", text -> {
            sentAt.add(System.nanoTime());
            sent.add(text);
            return Uni.createFrom().voidItem();
        }, vertx, 10, 100);
        for (int i = 0; i < 1000; i++) {
            session.offer(error(i % 25));
        }
        await().atMost(Duration.ofSeconds(6)).until(() -> sent.stream()
                .mapToInt(t -> Integer.parseInt(t.replaceAll(".*\"count\":(\\d+),.*", "$1"))).sum() == 1000);
        for (int i = 0; i + 10 < sentAt.size(); i++) {
            assertThat(sentAt.get(i + 10) - sentAt.get(i)).as("11 frames span a second (less the time between the window check and the write)").isGreaterThanOrEqualTo(990_000_000L);
        }
        assertThat(sent.size()).isEqualTo(35);
    }

    @Test
    void aLimitAboveAThousandFramesASecondIsNoLimitAndCostsAThousandClientsNoWindowMemory() {
        List<String> sent = new CopyOnWriteArrayList<>();
        ClientSession unlimited = new ClientSession("u", text -> {
            sent.add(text);
            return Uni.createFrom().voidItem();
        }, vertx, 100_000, 100_000);
        for (int i = 0; i < 3000; i++) {
            unlimited.offer(error(i)); // 3,000 distinct errors: nothing folds
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 3000);

        // one window ring of 100,000 times per client was 800 KB: 1,000 clients took about 780 MiB
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        List<ClientSession> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            clients.add(new ClientSession("c" + i, text -> Uni.createFrom().voidItem(), vertx, 100_000, 100_000));
        }
        System.gc();
        long held = rt.totalMemory() - rt.freeMemory() - before;
        assertThat(clients).hasSize(1000);
        assertThat(held).as("heap held by 1,000 idle sessions").isLessThan(50L << 20);
    }

    @Test
    void framesLeaveInTheOrderTheyWereTakenWhenTwoThreadsDrainAtOnce() throws Exception {
        // The first write is held up before it reaches the socket (a thread preempted between taking a frame off the
        // queue and writing it); a frame offered meanwhile on another thread must not overtake it.
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> received = new CopyOnWriteArrayList<>();
        ClientSession session = new ClientSession("s", text -> {
            if (text.contains("\"m0\"")) {
                firstHeld.countDown();
                try {
                    releaseFirst.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(text);
            return Uni.createFrom().voidItem();
        }, vertx, 10, 10);

        Thread first = new Thread(() -> session.offer(error(0)));
        first.start();
        assertThat(firstHeld.await(5, TimeUnit.SECONDS)).isTrue();
        session.offer(error(1)); // returns at once: the held thread writes it after m0
        releaseFirst.countDown();
        first.join(5_000);

        assertThat(received).hasSize(2);
        assertThat(received.get(0)).contains("\"m0\"");
        assertThat(received.get(1)).contains("\"m1\"");
    }

    @Test
    void aSenderThatThrowsClosesTheSessionWithoutWedgingIt() {
        ClientSession session = new ClientSession("s", text -> {
            throw new IllegalStateException("connection gone");
        }, vertx, 10, 10);
        session.offer(error(0));
        session.offer(error(1)); // a wedged writer would leave this waiting; a closed session takes nothing
        assertThat(session.waitingFrames()).isZero();
    }

    @Test
    void identicalWaitingFramesFoldIntoOneWithACount() {
        List<String> received = new CopyOnWriteArrayList<>();
        ClientSession session = new ClientSession("s", text -> {
            received.add(text);
            return Uni.createFrom().voidItem();
        }, vertx, 1, 10);
        for (int i = 0; i < 50; i++) {
            session.offer(error(7));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> received.size() == 2);
        assertThat(received.get(0)).startsWith("{\"type\":\"error\",\"count\":1,");
        assertThat(received.get(1)).startsWith("{\"type\":\"error\",\"count\":49,");
    }

    private static LiveFrame bigError(int i) {
        return new LiveFrame("error", "error\u0000" + i, Severity.ERROR, Category.NETWORK, null,
                "\"error\":{\"message\":\"m" + i + " " + "x".repeat(1000) + "\"}");
    }

    @Test
    void aSocketThatNeverTakesAFrameHoldsNoMoreThanTheByteBoundWhateverComes() {
        long bound = 16 * 1024;
        List<String> handedOver = new CopyOnWriteArrayList<>();
        ClientSession stuck = new ClientSession("stuck", text -> {
            handedOver.add(text);
            return Uni.createFrom().nothing();
        }, vertx, 10, 256, bound, LiveMetrics.unregistered());
        stuck.reply("{\"type\":\"hello\"}");
        for (int i = 0; i < 1000; i++) {
            stuck.offer(bigError(i));
            stuck.reply("{\"type\":\"error\",\"reason\":\"unknown category '" + i + "'\"}");
            stuck.replyFilterOk("{\"type\":\"filter_ok\",\"filter\":{\"symbol\":\"S" + i + "\"}}");
        }
        // Far fewer frames than the count bound of 256: 1 KB frames fill 16 KiB first.
        assertThat(stuck.waitingFrames()).isLessThan(16);
        assertThat(stuck.peakQueuedBytes()).isLessThanOrEqualTo(bound);
        assertThat(stuck.queuedBytes()).isLessThanOrEqualTo(bound);
        long filterOksHandedOver = handedOver.stream().filter(t -> t.contains("filter_ok")).count();
        assertThat(handedOver).hasSize(ClientSession.MAX_IN_FLIGHT);
        // One filter_ok waits (the last one), the others that did not reach the socket were replaced.
        assertThat(stuck.repliesFolded()).as("filter_ok replies replaced by the next").isEqualTo(1000 - filterOksHandedOver - 1);
        assertThat(stuck.repliesDropped()).as("error replies with no room left").isPositive();
        // Every frame offered or replied is in flight, waiting, replaced or counted as dropped.
        long inFlight = ClientSession.MAX_IN_FLIGHT;
        assertThat(inFlight + stuck.waitingFrames() + stuck.waitingReplies() + stuck.repliesFolded() + stuck.framesDropped())
                .isEqualTo(1 + 3 * 1000);
    }

    /** The hello leaves only once the client is registered, and before any broadcast that reached it meanwhile. */
    @Test
    void aClientIsRegisteredBeforeItsHelloLeavesAndTheHelloComesFirst() {
        GatewayConfig.Live live = new GatewayConfig.Live() {
            public int framesPerSecond() { return 10; }
            public int queueCapacity() { return 10; }
            public MemorySize queueBytes() { return new MemorySize(java.math.BigInteger.valueOf(1 << 20)); }
            public MemorySize maxMessageSize() { return new MemorySize(java.math.BigInteger.valueOf(4096)); }
            public int clientMessagesPerSecond() { return 20; }
            public Duration healthRefresh() { return Duration.ofSeconds(5); }
        };
        GatewayConfig config = new GatewayConfig() {
            public Live live() { return live; }
            public Downstream downstream() { return null; }
            public Security security() { return null; }
            public Pings pings() { return null; }
        };
        LiveClients clients = new LiveClients(vertx, config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        List<String> sent = new CopyOnWriteArrayList<>();
        List<Boolean> registeredWhenSent = new CopyOnWriteArrayList<>();
        clients.open("c", text -> {
            sent.add(text);
            if (text.contains("hello")) {
                registeredWhenSent.add(clients.get("c") != null);
                clients.broadcast(error(1)); // published the instant the client has its hello
            }
            return Uni.createFrom().voidItem();
        }, "{\"type\":\"hello\"}");

        await().atMost(Duration.ofSeconds(3)).until(() -> sent.size() == 2);
        assertThat(registeredWhenSent).containsExactly(true);
        assertThat(sent.get(0)).isEqualTo("{\"type\":\"hello\"}");
        assertThat(sent.get(1)).contains("\"m1\"");
    }
}
