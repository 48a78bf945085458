package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.testsupport.Resp;
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
    private static final Duration EVALUATE_EVERY = Duration.ofSeconds(1);
    private static final String CRITICAL_MESSAGE = "configuration lost";
    /** The monitor's rules about itself ({@code AlertEngine.SELF_RULES}). */
    private static final List<String> SELF_RULES = List.of("alert_rule_failed", "ingest_stalled", "worker_stalled",
            "postgres_unreachable", "redis_subscription_down", "stream_backlog", "day_partition_missing");

    private static List<ServiceInstance> monitors;
    private static Resp.Subscription alerts;
    private static String component;
    private static List<Long> receiversPerMessage;

    @BeforeAll
    static void startTwoMonitorsAndPublish() {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.alerts", "monitor.rejected_events", "monitor.executions", "monitor.execution_keys", "monitor.freshness");
        // no entries or dead consumers' pending entries left by earlier runs, to be read or claimed in the middle of a test
        try (Resp redis = Resp.local()) {
            redis.command("DEL", ServiceInstance.ERRORS + ":stream", ServiceInstance.EXECUTIONS + ":stream");
        }
        // listening before the monitors exist: an alert raised while they start is seen too
        alerts = Resp.subscribe(ServiceInstance.ALERTS);
        monitors = ServiceInstance.startAll("monitor-service", 2, ServiceInstance.env(
                "ALERTS_EVALUATE_EVERY", EVALUATE_EVERY.toSeconds() + "s", "ALERTS_REMINDER_INTERVAL", REMINDER_INTERVAL.toSeconds() + "s"));
        try (Resp redis = Resp.local()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.subscribers(ServiceInstance.ERRORS) >= 2);

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
            messages.add(event("ScaleOutCritical", "critical", "configuration", CRITICAL_MESSAGE));
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
                    assertThat(Http.metric(monitor.managementUrl(), "monitor_ingest_received_total")).as("%s received", monitor)
                            .isGreaterThanOrEqualTo(published));
        }
    }

    /**
     * Issue 8: the monitors form one consumer group on errors:stream, so each entry is read by one of them. Issue 20:
     * the pub/sub copy of each (marked by the shared publisher) is skipped unread by both, so no event is ingested
     * twice, by two monitors or by two paths.
     */
    @Test
    void streamEntriesAreSharedBetweenTheMonitorsAndEachIsStoredOnce() {
        awaitIngestSettled(); // the plain PUBLISHes of the set-up (copies among them) are behind us
        int events = 4000;
        String streamComponent = "scaleout-stream-" + UUID.randomUUID().toString().substring(0, 8);
        double[] before = ofEach("monitor_stream_received_total");
        double[] receivedBefore = ofEach("monitor_ingest_received_total");
        double[] duplicatesBefore = ofEach("monitor_ingest_duplicates_total");
        double[] claimedBefore = ofEach("monitor_stream_claimed_total");
        long addedBefore = entriesAdded();
        try (SharedPublisher publisher = new SharedPublisher(6379, events)) {
            for (int i = 0; i < events; i++) {
                publisher.publishError(streamComponent + "-" + i, streamComponent);
            }
            assertThat(publisher.publisher().awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        String stored = "SELECT count(*) FROM monitor.error_logs WHERE component = '" + streamComponent + "'";
        await().atMost(Duration.ofSeconds(60)).until(() -> SystemDatabase.count(stored) >= events);
        // What the publisher added: each event once, unless a batch whose answer came after its 2 s timeout was sent
        // again (at least once: the copy is stored once; seen in a fresh-clone run, 4,001 entries for 4,000 events).
        long added = entriesAdded() - addedBefore;
        assertThat(added).as("stream entries added for %d events", events).isGreaterThanOrEqualTo(events);
        double[] read = new double[monitors.size()];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < monitors.size(); i++) {
                // entries read new, not those claimed from a peer that held them too long (read again, stored once)
                read[i] = Http.metric(monitors.get(i).managementUrl(), "monitor_stream_received_total") - before[i]
                        - (Http.metric(monitors.get(i).managementUrl(), "monitor_stream_claimed_total") - claimedBefore[i]);
            }
            assertThat(read[0] + read[1]).as("stream entries read by the two monitors together").isEqualTo(added);
        });
        assertThat(java.util.Arrays.stream(read).boxed().toList()).as("each monitor read a share of the stream").allMatch(n -> n > 0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (ServiceInstance monitor : monitors) {
                assertThat(Http.metric(monitor.managementUrl(), "monitor_ingest_durable_copies_skipped_total"))
                        .as("%s skipped the pub/sub copy of every event", monitor).isGreaterThanOrEqualTo(events);
            }
        });
        for (int i = 0; i < monitors.size(); i++) {
            assertThat(Http.metric(monitors.get(i).managementUrl(), "monitor_ingest_received_total") - receivedBefore[i])
                    .as("%s ingested nothing from pub/sub", monitors.get(i)).isZero();
        }
        double duplicates = 0;
        for (int i = 0; i < monitors.size(); i++) {
            duplicates += Http.metric(monitors.get(i).managementUrl(), "monitor_ingest_duplicates_total") - duplicatesBefore[i];
        }
        // a repeat the publisher sent may be recognised as a duplicate here or only by the database's unique key
        assertThat(duplicates).as("second copies met: at most the publisher's own repeats (%d entries for %d events)", added, events)
                .isBetween(0.0, (double) (added - events));
        assertThat(SystemDatabase.count(stored)).isEqualTo(events);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE component = '" + streamComponent + "'"))
                .isEqualTo(events);
        System.out.printf("STREAM SHARE monitor-1 read %.0f, monitor-2 read %.0f of %d entries (%d events)%n", read[0], read[1],
                added, events);
    }

    /** A metric of each monitor, in the order of {@code monitors}. */
    private static double[] ofEach(String metric) {
        return monitors.stream().mapToDouble(m -> Http.metric(m.managementUrl(), metric)).toArray();
    }

    /** Entries ever added to the errors stream (XINFO STREAM entries-added, Redis 7), trimmed ones included. */
    private static long entriesAdded() {
        try (Resp redis = Resp.local()) {
            if (((Number) redis.command("EXISTS", ServiceInstance.ERRORS + ":stream")).longValue() == 0) {
                return 0;
            }
            Map<String, Object> info = StreamGroup.streamInfo(redis, ServiceInstance.ERRORS + ":stream");
            if (!(info.get("entries-added") instanceof Number added)) {
                throw new AssertionError("no entries-added in XINFO STREAM (Redis 7 or later needed): " + info);
            }
            return added.longValue();
        }
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

    /**
     * Exact whatever ran before: the other tests of this class store errors of their own (the stream test, the alert
     * sentinel), so the statistics are compared with the rows stored, severity by severity, on both monitors.
     */
    @Test
    void statisticsCountEveryStoredErrorOnce() {
        awaitIngestSettled();
        long errors = SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE severity = 'error'");
        long criticals = SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE severity = 'critical'");
        assertThat(errors).as("stored errors: this class's %d and those of the tests that ran before", ERRORS).isGreaterThanOrEqualTo(ERRORS);
        for (ServiceInstance monitor : monitors) {
            JsonNode statistics = Http.json(monitor.url() + "/api/errors/statistics?hours=1");
            assertThat(statistics.path("bySeverity").path("error").asLong()).as("errors in %s's /api/errors/statistics", monitor)
                    .isEqualTo(errors);
            assertThat(statistics.path("bySeverity").path("critical").asLong()).as("criticals in %s's statistics", monitor)
                    .isEqualTo(criticals);
        }
    }

    @Test
    void statisticsCountEveryWarningOnce() {
        awaitIngestSettled();
        JsonNode statistics = Http.json(monitors.get(0).url() + "/api/errors/statistics?hours=1");
        assertThat(statistics.path("bySeverity").path("warning").asLong())
                .as("warnings (received, not stored) in /api/errors/statistics with two monitors").isEqualTo(WARNINGS);
    }

    /**
     * Each alert (one condition episode: one row, one alert_id) is stored once and published once, across both
     * monitors. The sentinel: a critical error of its own published while both monitors evaluate every second, whose
     * alert both race to open; the wait is for each monitor's own evaluator to have run again well after that alert was
     * opened (its liveness heartbeat), so each had its chance to raise a duplicate.
     */
    @Test
    void eachAlertConditionIsRaisedOnceAcrossBothMonitors() {
        String marker = "sentinel " + UUID.randomUUID();
        try (Resp redis = Resp.local()) {
            redis.publish(ServiceInstance.ERRORS, event("ScaleOutSentinel", "critical", "configuration", marker, component + "-sentinel"));
        }
        String sentinelAlert = "SELECT count(*) FROM monitor.alerts WHERE rule = 'critical_error' AND message LIKE '%" + marker + "%'";
        await().alias("the sentinel's critical_error alert").atMost(Duration.ofSeconds(30)).until(() -> SystemDatabase.count(sentinelAlert) >= 1);
        Instant opened = Instant.now();
        for (ServiceInstance monitor : monitors) {
            await().alias(monitor + " evaluating its rules again after the sentinel's alert was opened").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> lastEvaluation(monitor).isAfter(opened.plus(EVALUATE_EVERY.multipliedBy(2))));
        }

        // the monitors' alerts about themselves are per replica by design (their key names the replica) and a busy
        // machine may raise one for a moment (a worker late by a second); they are not conditions the replicas share
        List<Map<String, Object>> rows = SystemDatabase.query("SELECT alert_id, key, rule, first_seen, resolved_at FROM monitor.alerts"
                + " WHERE NOT (rule = ANY(ARRAY['" + String.join("','", SELF_RULES) + "']))");
        assertThat(SystemDatabase.count(sentinelAlert)).as("rows of the sentinel's alert").isEqualTo(1);
        assertThat(SystemDatabase.query("SELECT key FROM monitor.alerts WHERE resolved_at IS NULL GROUP BY key HAVING count(*) > 1"))
                .as("keys with more than one open alert").isEmpty();
        // an alert is published right after its row is inserted: wait (bounded) until every row's publication arrived
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(firstPublications().keySet())
                .as("alerts published on %s; stored: %s", ServiceInstance.ALERTS, rows)
                .containsAll(rows.stream().map(r -> String.valueOf(r.get("alert_id"))).toList()));
        Map<String, Integer> published = firstPublications();
        assertThat(published.keySet()).as("alerts published and stored")
                .containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> String.valueOf(r.get("alert_id"))).toList());
        assertThat(published).as("publications per alert (not reminders)").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(rows).as("the critical alert of this class's critical error and the sentinel's")
                .filteredOn(r -> "critical_error".equals(r.get("rule"))).hasSizeGreaterThanOrEqualTo(2);
    }

    /** Non-reminder publications on the alerts channel of the rules the replicas share, per alert_id. */
    private static Map<String, Integer> firstPublications() {
        Map<String, Integer> published = new HashMap<>();
        for (String message : alerts.messages()) {
            JsonNode alert = readJson(message);
            if (!alert.path("reminder").asBoolean() && !SELF_RULES.contains(alert.path("rule").asText())) {
                published.merge(alert.path("alert_id").asText(), 1, Integer::sum);
            }
        }
        return published;
    }

    /**
     * When the monitor's alert evaluator last made progress, from its liveness data ({@code "alert-evaluator": "running
     * (N ms since progress)"}), measured from before the request: never later than the truth.
     */
    private static Instant lastEvaluation(ServiceInstance monitor) {
        Instant asked = Instant.now();
        for (JsonNode check : Http.json(monitor.managementUrl() + "/q/health/live").path("checks")) {
            if ("workers".equals(check.path("name").asText())) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+) ms since progress\\)")
                        .matcher(check.path("data").path("alert-evaluator").asText());
                if (m.find()) {
                    return asked.minusMillis(Long.parseLong(m.group(1)));
                }
            }
        }
        throw new AssertionError(monitor + " shows no alert-evaluator progress in its liveness data");
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

    /** The key of the alert of this class's critical error ("configuration lost"), not of another test's sentinel. */
    private static String criticalAlertKey() {
        String sql = "SELECT key FROM monitor.alerts WHERE rule = 'critical_error' AND message LIKE '%" + CRITICAL_MESSAGE + "%'";
        await().atMost(Duration.ofSeconds(30)).until(() -> !SystemDatabase.query(sql).isEmpty());
        return String.valueOf(SystemDatabase.query(sql).get(0).get("key"));
    }

    /** When each reminder of an alert was published (its "timestamp"), in order. */
    private static List<Instant> reminderTimes(String key) {
        return alerts.messages().stream().map(MonitorScaleOutTest::readJson)
                .filter(a -> a.path("reminder").asBoolean() && key.equals(a.path("key").asText()))
                .map(a -> Instant.parse(a.path("timestamp").asText())).sorted().toList();
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
        for (JsonNode check : Http.json(monitor.managementUrl() + "/q/health/ready").path("checks")) {
            if ("ingest-buffer".equals(check.path("name").asText())) {
                return check.path("data").path("size").asLong();
            }
        }
        throw new AssertionError(monitor + " has no ingest-buffer health check");
    }

    private static String event(String type, String severity, String category, String message) {
        return event(type, severity, category, message, component);
    }

    private static String event(String type, String severity, String category, String message, String component) {
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
