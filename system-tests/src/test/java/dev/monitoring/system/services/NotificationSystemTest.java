package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.monitoring.testsupport.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14 across processes: two monitor replicas deliver each notification once; a webhook receiver that is down
 * for 12 s gets every notification once it is back, although one replica is killed with {@code kill -9} meanwhile.
 * Prints the delivery latency (alert raised to receiver accepted, group_wait 0s) and the ledger's throughput to one
 * webhook: figures, not assertions.
 */
class NotificationSystemTest {
    private static final String LEDGER = "test.system.notifications:ledger";
    private static final String PREFIX = "test.system.notify";
    /** Several retries at the 2 s maximum backoff, and four times the 3 s after which a dead replica's deliveries are claimed. */
    private static final Duration OUTAGE = Duration.ofSeconds(12);
    private static final int PER_PHASE = 20;
    private static final List<ServiceInstance> monitors = new CopyOnWriteArrayList<>();
    private static Sink sink;
    private static Path notifyFile;

    @AfterAll
    static void stop() throws IOException {
        ServiceInstance.killAll(monitors);
        if (sink != null) {
            sink.server.stop(0);
        }
        if (notifyFile != null) {
            Files.deleteIfExists(notifyFile);
        }
    }

    @Test
    void everyNotificationArrivesOnceAcrossAReceiverOutageAKillNineAndTwoReplicas() throws Exception {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.alerts",
                "monitor.notifications", "monitor.silences");
        try (Resp redis = Resp.local()) {
            redis.command("DEL", LEDGER, PREFIX + ":due");
        }
        sink = new Sink();
        notifyFile = Files.createTempFile("notify-system", ".yaml");
        Files.writeString(notifyFile, """
                receivers:
                  - name: ops
                    webhook: { url: "%s", secret: "${NOTIFY_WEBHOOK_SECRET}" }
                routes:
                  - match: { severity: critical }
                    receivers: [ops]
                    group_by: [rule, symbol]
                    group_wait: 0s
                """.formatted(sink.url()));
        Map<String, String> env = ServiceInstance.env("NOTIFY_FILE", notifyFile.toString(), "NOTIFY_WEBHOOK_SECRET", "system-secret",
                "NOTIFY_LEDGER_STREAM", LEDGER, "NOTIFY_KEY_PREFIX", PREFIX, "CHANNEL_NOTIFICATIONS", "test.system.notifications",
                "NOTIFY_RETRY_INITIAL", "500ms", "NOTIFY_RETRY_MAX", "2s", "NOTIFY_MAX_ATTEMPTS", "1000",
                "NOTIFY_CLAIM_MIN_IDLE", "3s", "ALERTS_EVALUATE_EVERY", "300ms");
        monitors.addAll(ServiceInstance.startAll("monitor-service", 2, env));
        String run = UUID.randomUUID().toString().substring(0, 6);

        // 1. both replicas up, the receiver up: every alert told once, and how fast
        publishCriticals(run, "a");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.alertIds().size() >= PER_PHASE);
        List<Long> latencies = sink.latenciesMillis();

        // 2. the receiver goes down for 12 s; meanwhile 20 more alerts, and one replica is killed hard
        Instant down = Instant.now();
        sink.up = false;
        publishCriticals(run, "b");
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.refusedIds().size() >= PER_PHASE);
        ServiceInstance victim = monitors.remove(0);
        victim.killHard();
        ServiceInstance replacement = ServiceInstance.start("monitor-service", "monitor-notify-restarted", env);
        monitors.add(replacement);
        replacement.awaitReady();
        Thread.sleep(Math.max(0, down.plus(OUTAGE).toEpochMilli() - System.currentTimeMillis())); // the outage itself
        sink.up = true;

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.alertIds().size() >= 2 * PER_PHASE);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> sink.alertIds().size() == 2 * PER_PHASE);
        assertThat(sink.duplicateNotificationIds()).as("notifications delivered more than once").isEmpty();
        assertThat(sink.accepted).as("one notification per alert (one group each)").hasSize(2 * PER_PHASE);
        assertThat(sink.badSignatures.get()).as("bodies whose X-Monitor-Signature did not verify").isZero();
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.notifications WHERE status = 'sent'")).isEqualTo(2 * PER_PHASE);
        try (Resp redis = Resp.local()) {
            assertThat((Long) ((List<?>) redis.command("XPENDING", LEDGER, "notifier")).get(0)).as("ledger entries left pending").isZero();
        }

        // 3. throughput: 2,000 notifications put straight into the ledger, delivered to one webhook
        int bulk = 2000;
        Instant start = Instant.now();
        try (Resp redis = Resp.local()) {
            for (int i = 0; i < bulk; i++) {
                String id = "bulk-" + run + "-" + i;
                redis.command("XADD", LEDGER, "*", "notification", """
                        {"notification_id":"%s","receiver":"ops","group_key":"bulk","status":"firing","alerts":[{"alert_id":"%s",\
                        "rule":"bulk","severity":"critical","message":"bulk %d","key":"bulk:%d","labels":{"rule":"bulk","severity":"critical"}}]}"""
                        .formatted(id, id, i, i));
            }
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> sink.accepted.size() >= 2 * PER_PHASE + bulk);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Collections.sort(latencies);
        System.out.printf("NOTIFY-BENCH alert raised -> webhook accepted (group_wait 0s, 2 replicas, %d alerts): p50 %d ms, p99 %d ms, "
                        + "max %d ms; throughput to one webhook: %d notifications in %.1f s = %.0f/s; outage %d s with a kill -9: "
                        + "%d refused attempts, all %d alerts told once%n", latencies.size(), percentile(latencies, 50),
                percentile(latencies, 99), latencies.get(latencies.size() - 1), bulk, seconds, bulk / seconds, OUTAGE.toSeconds(),
                sink.refused.get(), 2 * PER_PHASE);
    }

    /** Critical errors with their own symbol each (so each alert is its own group) and their own wording (fingerprint). */
    private static void publishCriticals(String run, String phase) {
        try (Resp redis = Resp.local()) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < PER_PHASE; i++) {
                String symbol = "N" + run.toUpperCase() + phase.toUpperCase() + (char) ('A' + i);
                Map<String, Object> context = Map.of("component", "notify-system", "operation", "deliver", "symbol", symbol);
                Map<String, Object> event = Map.of("error_id", UUID.randomUUID().toString(), "error_type", "NotifyCrash",
                        "error_message", "crash of " + symbol, "severity", "critical", "category", "system",
                        "timestamp", Instant.now().toString(), "context", context);
                events.add(Http.JSON.writeValueAsString(event));
            }
            redis.publishAll(ServiceInstance.ERRORS, events);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** The webhook receiver: a real HTTP server that verifies signatures and answers 500 while it is "down". */
    private static final class Sink {
        final HttpServer server;
        volatile boolean up = true;
        final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
        final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        final Set<String> refusedIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();

        Sink() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/hook", exchange -> {
                long now = System.currentTimeMillis();
                byte[] body = exchange.getRequestBody().readAllBytes();
                JsonNode json = Http.JSON.readTree(body);
                if (!("sha256=" + hmac(body)).equals(exchange.getRequestHeaders().getFirst("X-Monitor-Signature"))
                        && !json.path("group_key").asText().equals("bulk")) {
                    badSignatures.incrementAndGet();
                }
                if (!up) {
                    refused.incrementAndGet();
                    refusedIds.add(json.path("notification_id").asText());
                    exchange.sendResponseHeaders(503, -1);
                } else {
                    accepted.add(json);
                    for (JsonNode a : json.path("alerts")) {
                        receivedAt.putIfAbsent(a.path("alert_id").asText(), now);
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        Set<String> refusedIds() {
            return refusedIds;
        }

        Set<String> alertIds() {
            Set<String> ids = new java.util.HashSet<>();
            for (JsonNode n : accepted) {
                if (!n.path("group_key").asText().equals("bulk")) {
                    n.path("alerts").forEach(a -> ids.add(a.path("alert_id").asText()));
                }
            }
            return ids;
        }

        List<String> duplicateNotificationIds() {
            Map<String, Integer> seen = new HashMap<>();
            accepted.forEach(n -> seen.merge(n.path("notification_id").asText(), 1, Integer::sum));
            return seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        }

        /** From the alert's own timestamp (when the engine opened it) to the receiver's answer. */
        List<Long> latenciesMillis() {
            List<Long> list = new ArrayList<>();
            for (JsonNode n : accepted) {
                for (JsonNode a : n.path("alerts")) {
                    Long at = receivedAt.get(a.path("alert_id").asText());
                    if (at != null) {
                        list.add(at - Instant.parse(a.path("timestamp").asText()).toEpochMilli());
                    }
                }
            }
            return list;
        }

        private static String hmac(byte[] body) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec("system-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return java.util.HexFormat.of().formatHex(mac.doFinal(body));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
