package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two monitor-service instances on the same Redis channels and the same database: pub/sub gives every event to
 * both, so correctness rests on idempotent writes (error_id unique, counts only for rows actually inserted) and on
 * the alerts table's one-open-alert-per-condition index.
 */
class MonitorScaleOutTest {
    private static final int ERRORS = 2000;
    private static final int GROUPS = 4;
    private static final int WARNINGS = 300;
    private static final int DUPLICATES = 100;
    /** Both monitors evaluate the rules every second; a holding condition is re-published once per this interval. */
    private static final Duration REMINDER_INTERVAL = Duration.ofSeconds(4);

    private static List<ServiceInstance> monitors;
    private static Resp.Subscription alerts;
    private static String component;
    private static List<Long> receiversPerMessage;

    @BeforeAll
    static void startTwoMonitorsAndPublish() {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_groups", "monitor.error_counts",
                "monitor.alerts", "monitor.rejected_events", "monitor.executions", "monitor.freshness");
        monitors = ServiceInstance.startAll("monitor-service", 2, ServiceInstance.env(
                "ALERTS_EVALUATE_EVERY", "1s", "ALERTS_REMINDER_INTERVAL", REMINDER_INTERVAL.toSeconds() + "s"));
        try (Resp redis = new Resp()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.subscribers(ServiceInstance.ERRORS) >= 2);
            alerts = Resp.subscribe(ServiceInstance.ALERTS);

            component = "scaleout-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < ERRORS; i++) {
                errors.add(event("ScaleOutError" + (i % GROUPS), "error", "validation", "record " + i + " failed"));
            }
            List<String> messages = new ArrayList<>(errors);
            for (int i = 0; i < WARNINGS; i++) {
                messages.add(event("ScaleOutWarning", "warning", "performance", "slow step " + i));
            }
            messages.addAll(errors.subList(0, DUPLICATES));
            messages.add(event("ScaleOutCritical", "critical", "configuration", "configuration lost"));
            receiversPerMessage = redis.publishAll(ServiceInstance.ERRORS, messages);
        }
    }

    @AfterAll
    static void stopMonitors() {
        if (alerts != null) {
            alerts.close();
        }
        ServiceInstance.killAll(monitors);
    }

    @Test
    void bothMonitorsReceivedEveryEvent() {
        assertThat(receiversPerMessage).as("Redis delivered each message to both monitors").allMatch(n -> n == 2);
        int published = ERRORS + WARNINGS + DUPLICATES + 1;
        for (ServiceInstance monitor : monitors) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(Http.metric(monitor.url(), "monitor_ingest_received_total")).as("%s received", monitor)
                            .isGreaterThanOrEqualTo(published));
        }
    }

    /** Issue 8: the monitors form one consumer group on errors:stream, so each entry is read by one of them. */
    @Test
    void streamEntriesAreSharedBetweenTheMonitorsAndEachIsStoredOnce() {
        int events = 4000;
        String streamComponent = "scaleout-stream-" + UUID.randomUUID().toString().substring(0, 8);
        double[] before = monitors.stream().mapToDouble(m -> Http.metric(m.url(), "monitor_stream_received_total")).toArray();
        try (SharedPublisher publisher = new SharedPublisher(6379, events)) {
            for (int i = 0; i < events; i++) {
                publisher.publishError(streamComponent + "-" + i, streamComponent);
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + streamComponent + "'";
        await().atMost(Duration.ofSeconds(60)).until(() -> SystemDatabase.count(stored) >= events);
        double[] read = new double[monitors.size()];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < monitors.size(); i++) {
                read[i] = Http.metric(monitors.get(i).url(), "monitor_stream_received_total") - before[i];
            }
            assertThat(read[0] + read[1]).as("stream entries read by the two monitors together").isEqualTo(events);
        });
        assertThat(java.util.Arrays.stream(read).boxed().toList()).as("each monitor read a share of the stream").allMatch(n -> n > 0);
        assertThat(SystemDatabase.count(stored)).isEqualTo(events);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + streamComponent + "'"))
                .isEqualTo(events);
        System.out.printf("STREAM SHARE monitor-1 read %.0f, monitor-2 read %.0f of %d entries%n", read[0], read[1], events);
    }

    @Test
    void everyErrorIsStoredExactlyOnce() {
        awaitIngestSettled();
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'"))
                .isEqualTo(ERRORS + 1);
        assertThat(SystemDatabase.count("SELECT count(DISTINCT error_id) FROM monitor.error_logs WHERE component = '" + component + "'"))
                .isEqualTo(ERRORS + 1);
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE severity = 'warning'"))
                .as("warnings are below the severity filter").isZero();
    }

    @Test
    void groupCountsAreExact() {
        awaitIngestSettled();
        List<Map<String, Object>> groups = SystemDatabase.query(
                "SELECT error_type, count FROM monitor.error_groups WHERE component = '" + component + "' ORDER BY error_type");
        Map<String, Long> counts = new HashMap<>();
        groups.forEach(g -> counts.put(String.valueOf(g.get("error_type")), ((Number) g.get("count")).longValue()));
        Map<String, Long> expected = new HashMap<>();
        for (int g = 0; g < GROUPS; g++) {
            expected.put("ScaleOutError" + g, (long) ERRORS / GROUPS);
        }
        expected.put("ScaleOutCritical", 1L);
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void statisticsCountEveryStoredErrorOnce() {
        awaitIngestSettled();
        JsonNode statistics = Http.json(monitors.get(0).url() + "/api/errors/statistics?hours=1");
        assertThat(statistics.path("bySeverity").path("error").asLong()).as("errors in /api/errors/statistics").isEqualTo(ERRORS);
        assertThat(statistics.path("bySeverity").path("critical").asLong()).isEqualTo(1);
    }

    @Test
    void statisticsCountEveryWarningOnce() {
        awaitIngestSettled();
        JsonNode statistics = Http.json(monitors.get(0).url() + "/api/errors/statistics?hours=1");
        assertThat(statistics.path("bySeverity").path("warning").asLong())
                .as("warnings (received, not stored) in /api/errors/statistics with two monitors").isEqualTo(WARNINGS);
    }

    @Test
    void eachAlertConditionIsRaisedOnceAcrossBothMonitors() {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                SystemDatabase.count("SELECT count(*) FROM monitor.alerts WHERE rule = 'critical_error'") >= 1);
        // both monitors evaluate every second: give them several rounds to raise a duplicate
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> true);

        List<Map<String, Object>> rows = SystemDatabase.query("SELECT key, count(*) AS n FROM monitor.alerts GROUP BY key");
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(((Number) r.get("n")).longValue()).as("alert rows for %s", r.get("key")).isEqualTo(1));

        Map<String, Integer> published = new HashMap<>();
        for (String message : alerts.messages()) {
            JsonNode alert = readJson(message);
            if (!alert.path("reminder").asBoolean()) {
                published.merge(alert.path("key").asText(), 1, Integer::sum);
            }
        }
        assertThat(published).as("alerts published on %s", ServiceInstance.ALERTS).isNotEmpty()
                .containsKey(criticalKey(rows)).allSatisfy((key, n) -> assertThat(n).as("publications of %s", key).isEqualTo(1));
        assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> String.valueOf(r.get("key"))).toList());
    }

    @Test
    void remindersKeepTheirIntervalAcrossBothMonitors() {
        await().atMost(Duration.ofSeconds(40)).until(() -> reminderTimes(criticalAlertKey()).size() >= 2);

        List<Instant> reminders = reminderTimes(criticalAlertKey());
        for (int i = 1; i < reminders.size(); i++) {
            assertThat(Duration.between(reminders.get(i - 1), reminders.get(i)))
                    .as("time between reminders %d and %d of the critical alert (interval %s, two monitors)", i, i + 1, REMINDER_INTERVAL)
                    .isGreaterThanOrEqualTo(REMINDER_INTERVAL.minusMillis(500));
        }
    }

    private static String criticalAlertKey() {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                SystemDatabase.count("SELECT count(*) FROM monitor.alerts WHERE rule = 'critical_error'") >= 1);
        return String.valueOf(SystemDatabase.query("SELECT key FROM monitor.alerts WHERE rule = 'critical_error'").get(0).get("key"));
    }

    /** When each reminder of an alert was published (its "timestamp"), in order. */
    private static List<Instant> reminderTimes(String key) {
        return alerts.messages().stream().map(MonitorScaleOutTest::readJson)
                .filter(a -> a.path("reminder").asBoolean() && key.equals(a.path("key").asText()))
                .map(a -> Instant.parse(a.path("timestamp").asText())).sorted().toList();
    }

    private static String criticalKey(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> String.valueOf(r.get("key"))).filter(k -> k.startsWith("critical_error")).findFirst().orElseThrow();
    }

    /** Both buffers drained and the tables unchanged for 3 s: every delivery of every event has been handled. */
    private static void awaitIngestSettled() {
        await().atMost(Duration.ofSeconds(90)).until(() ->
                SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE component = '" + component + "'") >= ERRORS + 1
                        && monitors.stream().allMatch(m -> bufferSize(m) == 0));
        AtomicReference<String> last = new AtomicReference<>("");
        await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> {
            String now = String.valueOf(SystemDatabase.query(
                    "SELECT (SELECT count(*) FROM monitor.error_logs) AS logs, (SELECT coalesce(sum(count), 0) FROM monitor.error_counts) AS counts,"
                            + " (SELECT coalesce(sum(count), 0) FROM monitor.error_groups) AS groups"));
            boolean stable = now.equals(last.get());
            last.set(now);
            return stable && monitors.stream().allMatch(m -> bufferSize(m) == 0);
        });
    }

    private static long bufferSize(ServiceInstance monitor) {
        for (JsonNode check : Http.json(monitor.url() + "/q/health/ready").path("checks")) {
            if ("ingest-buffer".equals(check.path("name").asText())) {
                return check.path("data").path("size").asLong();
            }
        }
        throw new AssertionError(monitor + " has no ingest-buffer health check");
    }

    private static String event(String type, String severity, String category, String message) {
        Map<String, Object> context = Map.of("component", component, "operation", "scale-out");
        Map<String, Object> event = Map.of("error_id", UUID.randomUUID().toString(), "error_type", type,
                "error_message", message, "severity", severity, "category", category,
                "timestamp", Instant.now().toString(), "context", context);
        try {
            return Http.JSON.writeValueAsString(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text);
        }
    }
}
