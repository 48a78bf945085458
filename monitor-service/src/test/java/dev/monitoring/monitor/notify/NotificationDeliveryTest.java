package dev.monitoring.monitor.notify;

import dev.monitoring.model.api.Alert;
import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.alerts.AlertEngine;
import dev.monitoring.monitor.notify.config.NotifyFile;
import dev.monitoring.monitor.silences.SilenceStore;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * Issue 14 end to end inside one monitor: alerts go through the NOTIFY_FILE routes, their groups, the ledger stream and
 * the deliverer to a real HTTP receiver; silences, maintenance windows, retries, dead letters and the fallback.
 */
@QuarkusTest
class NotificationDeliveryTest {
    private static final String SECRET = "s3cret-for-tests";
    private static ReceiverSink sink;
    private static Path notifyFile;

    @Inject
    NotifyFile file;
    @Inject
    AlertNotifier notifier;
    @Inject
    AlertEngine engine;
    @Inject
    SilenceStore silences;
    @Inject
    Pool pool;
    @Inject
    RedisDataSource redis;
    @Inject
    DeliveryConfig config;

    @BeforeAll
    static void startSink() throws Exception {
        sink = new ReceiverSink();
        notifyFile = Files.createTempFile("notify", ".yaml");
        Files.writeString(notifyFile, """
                receivers:
                  - name: hook
                    webhook: { url: "%s", secret: "%s" }
                  - name: flaky
                    webhook: { url: "%s" }
                  - name: broken
                    webhook: { url: "%s" }
                  - name: fallback
                    webhook: { url: "%s" }
                  - name: mail
                    email: { to: ["ops@example.com"], subject_prefix: "[ops]" }
                  - name: chat
                    slack: { url: "%s" }
                  - name: pager
                    pagerduty: { routing_key: "pd-key-for-tests", url: "%s" }
                routes:
                  - match: { rule: everywhere }
                    receivers: [mail, chat, pager]
                    group_wait: 0s
                  - match: { rule: burst }
                    receivers: [hook]
                    group_by: [category]
                    group_wait: 1s
                  - match: { rule: flaky_rule }
                    receivers: [flaky]
                    group_wait: 0s
                  - match: { rule: broken_rule }
                    receivers: [broken]
                    group_wait: 0s
                    group_interval: 1s
                  - match_re: { severity: "critical|error" }
                    receivers: [hook]
                    group_by: [rule, symbol]
                    group_wait: 0s
                    group_interval: 1s
                default_receivers: [hook]
                fallback_receivers: [fallback]
                """.formatted(sink.url("/hook"), SECRET, sink.url("/flaky"), sink.url("/broken"), sink.url("/fallback"),
                sink.url("/slack"), sink.url("/pagerduty")));
    }

    @AfterAll
    static void stopSink() throws Exception {
        sink.close();
        Files.deleteIfExists(notifyFile);
    }

    @BeforeEach
    void clean() {
        file.switchTo(notifyFile);
        MonitorTables.truncateAll(pool);
        silences.refresh();
        for (String key : redis.key().keys(config.keyPrefix() + ":*")) {
            redis.key().del(key);
        }
        sink.reset();
    }

    @Test
    void twoHundredCriticalAlertsInFiveSecondsGiveOneSignedMessagePerGroup() {
        for (int i = 0; i < 200; i++) {
            fire("burst", "critical", i % 2 == 0 ? "database" : "network", null);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.accepted("/hook").size() >= 2);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> sink.accepted("/hook").size() == 2);
        for (ReceiverSink.Request r : sink.accepted("/hook")) {
            JsonNode body = r.json();
            assertThat(body.path("status").asText()).isEqualTo("firing");
            assertThat(body.path("receiver").asText()).isEqualTo("hook");
            assertThat(body.path("group_key").asText()).matches("route 1 \\{category=(database|network)}");
            assertThat(body.path("alerts")).hasSize(100);
            assertThat(r.header("X-Monitor-Signature")).isEqualTo("sha256=" + hmac(r.body()));
            assertThat(r.header("Idempotency-Key")).isEqualTo(body.path("notification_id").asText());
        }
        assertThat(sink.accepted("/hook").stream().map(r -> r.json().path("group_key").asText()).distinct()).hasSize(2);
    }

    @Test
    void anAlertTheEngineRaisesIsDeliveredAndItsEndIsToldToo() {
        insertCriticalError("ENGINE-1");
        List<Alert> raised = engine.evaluate();
        String alertId = raised.stream().filter(a -> "critical_error".equals(a.rule())).findFirst().orElseThrow()
                .alertId();

        JsonNode firing = awaitMessage("/hook", alertId, "firing");
        JsonNode alert = alertIn(firing, alertId);
        assertThat(alert.path("labels").path("symbol").asText()).isEqualTo("ENGINE-1");
        assertThat(alert.path("silenced").asBoolean()).isFalse();

        MonitorTables.execute(pool, "DELETE FROM monitor.error_logs");
        engine.evaluate();

        JsonNode resolved = awaitMessage("/hook", alertId, "resolved");
        assertThat(resolved.path("group_key").asText()).isEqualTo(firing.path("group_key").asText());
        given().get("/api/notifications?limit=10").then().statusCode(200)
                .body("findAll { it.group_key == '%s' }.status".formatted(firing.path("group_key").asText()),
                        org.hamcrest.Matchers.everyItem(equalTo("sent")));
    }

    @Test
    void aSilenceSuppressesDeliveryButTheAlertIsRecordedAndShownSilenced() {
        String silenceId = given().contentType(ContentType.JSON).body("""
                {"matchers":[{"label":"rule","value":"critical_error"},{"label":"symbol","value":"SILENT-1"}],
                 "ends_at":"%s","comment":"known outage of SILENT-1","created_by":"ops"}"""
                .formatted(Instant.now().plusSeconds(3600)))
                .post("/api/silences").then().statusCode(201)
                .body("state", equalTo("active")).body("created_by", equalTo("ops"))
                .extract().path("id");
        insertCriticalError("SILENT-1");
        insertCriticalError("LOUD-1");

        engine.evaluate();

        given().get("/api/alerts").then().statusCode(200)
                .body("find { it.labels.symbol == 'SILENT-1' }.silenced", equalTo(true))
                .body("find { it.labels.symbol == 'SILENT-1' }.silenced_by[0]", equalTo(silenceId))
                .body("find { it.labels.symbol == 'LOUD-1' }.silenced", equalTo(false));
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses().contains("silenced"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.accepted("/hook").stream()
                .anyMatch(r -> r.body().contains("LOUD-1")));
        assertThat(sink.accepted("/hook")).noneMatch(r -> r.body().contains("SILENT-1"));

        given().delete("/api/silences/" + silenceId).then().statusCode(200).body("state", equalTo("expired"));
        given().get("/api/silences").then().statusCode(200).body("id", not(org.hamcrest.Matchers.hasItem(silenceId)));
    }

    @Test
    void aReceiverToldAnAlertFiresHearsItsEndEvenUnderASilenceMadeSince() {
        insertCriticalError("TOLD-1");
        String alertId = engine.evaluate().stream().filter(a -> "critical_error".equals(a.rule())).findFirst().orElseThrow()
                .alertId();
        JsonNode firing = awaitMessage("/hook", alertId, "firing");
        // the on-call silences it while working on it (a PagerDuty incident is open by now); then it recovers
        given().contentType(ContentType.JSON).body("""
                {"matchers":[{"label":"symbol","value":"TOLD-1"}],"ends_at":"%s","comment":"working on TOLD-1","created_by":"ops"}"""
                .formatted(Instant.now().plusSeconds(3600)))
                .post("/api/silences").then().statusCode(201);
        MonitorTables.execute(pool, "DELETE FROM monitor.error_logs");
        engine.evaluate();

        JsonNode resolved = awaitMessage("/hook", alertId, "resolved");
        assertThat(resolved.path("group_key").asText()).isEqualTo(firing.path("group_key").asText());

        // what is new about TOLD-1 stays silenced
        insertCriticalError("TOLD-1");
        String again = engine.evaluate().stream().filter(a -> "critical_error".equals(a.rule())).findFirst().orElseThrow()
                .alertId();
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses().contains("silenced"));
        assertThat(sink.accepted("/hook")).noneMatch(r -> r.body().contains(again));
    }

    @Test
    void aMaintenanceWindowSilencesOnlyWhileItIsOpen() {
        // open now: every second, for an hour; closed now: once, on 1 January 2099
        given().contentType(ContentType.JSON).body("""
                {"matchers":[{"label":"rule","value":"window_open"}],"cron":"* * * * * ?","duration":"1h",
                 "comment":"nightly batch window","created_by":"ops"}""")
                .post("/api/silences").then().statusCode(201).body("cron", equalTo("* * * * * ?")).body("duration", equalTo("PT1H"));
        given().contentType(ContentType.JSON).body("""
                {"matchers":[{"label":"rule","value":"window_closed","regex":false}],"cron":"0 0 3 1 1 ? 2099",
                 "duration":"2h","comment":"later","created_by":"ops"}""")
                .post("/api/silences").then().statusCode(201);

        String silenced = fire("window_open", "critical", null, null);
        String told = fire("window_closed", "critical", null, null);

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.accepted("/hook").stream().anyMatch(r -> r.body().contains(told)));
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses().contains("silenced"));
        assertThat(sink.accepted("/hook")).noneMatch(r -> r.body().contains(silenced));
    }

    @Test
    void aSilenceMadeToEndWithItsAlertsEndsWhenTheLastOfThemResolves() {
        String id = given().contentType(ContentType.JSON).body("""
                {"matchers":[{"label":"symbol","value":"EOR-.*","regex":true}],"ends_at":"%s","end_on_resolve":true,
                 "comment":"until EOR recovers","created_by":"ops"}""".formatted(Instant.now().plusSeconds(3600)))
                .post("/api/silences").then().statusCode(201).extract().path("id");
        insertCriticalError("EOR-1");
        insertCriticalError("EOR-2");
        engine.evaluate();

        MonitorTables.execute(pool, "DELETE FROM monitor.error_logs WHERE symbol = 'EOR-1'");
        engine.evaluate();
        given().get("/api/silences/").then().body("find { it.id == '%s' }.state".formatted(id), equalTo("active"));

        MonitorTables.execute(pool, "DELETE FROM monitor.error_logs WHERE symbol = 'EOR-2'");
        engine.evaluate();
        given().get("/api/silences?state=expired").then().body("find { it.id == '%s' }.state".formatted(id), equalTo("expired"));
        // neither the alerts nor their ends were told: they were silenced when raised (group_interval is 1 s)
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                .until(() -> sink.accepted("/hook").stream().noneMatch(r -> r.body().contains("EOR-")));
    }

    @Test
    void silencesWithMistakesAreRefusedWithTheReason() {
        given().contentType(ContentType.JSON).body("{\"matchers\":[],\"ends_at\":\"2099-01-01T00:00:00Z\",\"comment\":\"x\",\"created_by\":\"ops\"}")
                .post("/api/silences").then().statusCode(400).body("parameter", equalTo("matchers"));
        given().contentType(ContentType.JSON).body("{\"matchers\":[{\"label\":\"colour\",\"value\":\"red\"}],\"ends_at\":\"2099-01-01T00:00:00Z\",\"comment\":\"x\",\"created_by\":\"ops\"}")
                .post("/api/silences").then().statusCode(400).body("error", containsString("colour"));
        given().contentType(ContentType.JSON).body("{\"matchers\":[{\"label\":\"rule\",\"value\":\"x\"}],\"comment\":\"x\",\"created_by\":\"ops\"}")
                .post("/api/silences").then().statusCode(400).body("parameter", equalTo("ends_at"));
        given().contentType(ContentType.JSON).body("{\"matchers\":[{\"label\":\"rule\",\"value\":\"x\"}],\"cron\":\"every night\",\"duration\":\"1h\",\"comment\":\"x\",\"created_by\":\"ops\"}")
                .post("/api/silences").then().statusCode(400).body("parameter", equalTo("cron"));
        given().contentType(ContentType.JSON).body("{\"matchers\":[{\"label\":\"rule\",\"value\":\"(a+\",\"regex\":true}],\"ends_at\":\"2099-01-01T00:00:00Z\",\"comment\":\"x\",\"created_by\":\"ops\"}")
                .post("/api/silences").then().statusCode(400).body("parameter", equalTo("matchers"));
        given().contentType(ContentType.JSON).body("{\"matchers\":[{\"label\":\"rule\",\"value\":\"x\"}],\"ends_at\":\"2099-01-01T00:00:00Z\",\"comment\":\"x\"}")
                .post("/api/silences").then().statusCode(400).body("parameter", equalTo("created_by"));
        given().delete("/api/silences/no-such-silence").then().statusCode(404);
        given().get("/api/silences?state=sleeping").then().statusCode(400).body("parameter", equalTo("state"));
        given().get("/api/notifications?limit=501").then().statusCode(400).body("parameter", equalTo("limit"));
    }

    /** One route to an email, a Slack-compatible and a PagerDuty receiver: each gets the alert through the ledger. */
    @Test
    void oneAlertReachesMailChatAndPagerAlike() throws Exception {
        dev.monitoring.monitor.notify.receivers.SmtpSink smtp = dev.monitoring.monitor.notify.receivers.SmtpPortResource.smtp();
        smtp.purge();
        String id = fire("everywhere", "critical", null, "ALL-1");

        await().atMost(Duration.ofSeconds(15)).until(() -> smtp.getReceivedMessages().length == 1
                && !sink.accepted("/slack").isEmpty() && !sink.accepted("/pagerduty").isEmpty());
        jakarta.mail.internet.MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).startsWith("[ops]").contains("everywhere");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mail)).contains(id);
        assertThat(sink.accepted("/slack").get(0).json().path("text").asText()).contains("everywhere");
        JsonNode pd = sink.accepted("/pagerduty").get(0).json();
        assertThat(pd.path("routing_key").asText()).isEqualTo("pd-key-for-tests");
        assertThat(pd.path("event_action").asText()).isEqualTo("trigger");
        assertThat(pd.path("payload").path("severity").asText()).isEqualTo("critical");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(statuses()).filteredOn("sent"::equals).hasSize(3));
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheNotificationOnTheThirdAttempt() {
        sink.failNext("/flaky", 2);

        String id = fire("flaky_rule", "warning", null, null);

        await().atMost(Duration.ofSeconds(15)).until(() -> sink.accepted("/flaky").stream().anyMatch(r -> r.body().contains(id)));
        assertThat(sink.refused("/flaky")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/api/notifications?receiver=flaky").then()
                .body("[0].status", equalTo("sent")).body("[0].attempts", equalTo(3)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> sink.accepted("/flaky").size() == 1);
    }

    @Test
    void aReceiverThatAlwaysFailsEndsInDeadLettersAndNotificationFailedGoesToTheFallback() {
        sink.failAlways("/broken", true);

        fire("broken_rule", "error", null, null);

        await().atMost(Duration.ofSeconds(20)).until(() -> !sink.accepted("/fallback").isEmpty());
        JsonNode fallback = sink.accepted("/fallback").get(0).json();
        assertThat(fallback.path("alerts").get(0).path("rule").asText()).isEqualTo("notification_failed");
        assertThat(fallback.path("alerts").get(0).path("message").asText()).contains("'broken'");
        assertThat(sink.refused("/broken")).isEqualTo(config.maxAttempts());
        assertThat(redis.stream(String.class).xlen(config.ledgerStream() + ":dead:broken")).isPositive();
        given().get("/api/notifications?receiver=broken").then().body("[0].status", equalTo("failed"))
                .body("[0].attempts", equalTo(config.maxAttempts()));
        given().get("/api/alerts").then().body("find { it.rule == 'notification_failed' }.resolved_at", equalTo(null));

        // the receiver is back: the next notification is accepted and notification_failed ends
        sink.failAlways("/broken", false);
        fire("broken_rule", "error", null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.accepted("/broken").isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> MonitorTables.count(pool,
                "SELECT count(*) FROM monitor.alerts WHERE rule = 'notification_failed' AND resolved_at IS NOT NULL") == 1);
        // the engine's own rounds leave notification_failed alone
        engine.evaluate();
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'notification_failed'")).isEqualTo(1);
    }

    @Test
    void receiversAreListedWithoutSecretsAndTheTestButtonSaysWhatTheReceiverAnswered() {
        String listed = given().get("/api/receivers").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.containsInAnyOrder("hook", "flaky", "broken", "fallback", "mail", "chat", "pager"))
                .body("find { it.name == 'hook' }.type", equalTo("webhook"))
                .extract().asString();
        assertThat(listed).doesNotContain(SECRET).doesNotContain("/hook").doesNotContain("/slack").doesNotContain("pd-key-for-tests");

        given().post("/api/receivers/hook/test").then().statusCode(200).body("accepted", equalTo(true)).body("status_code", equalTo(200));
        assertThat(sink.accepted("/hook")).singleElement().satisfies(r -> assertThat(r.json().path("test").asBoolean()).isTrue());
        sink.failAlways("/broken", true);
        given().post("/api/receivers/broken/test").then().statusCode(502).body("accepted", equalTo(false)).body("status_code", equalTo(500));
        given().post("/api/receivers/nobody/test").then().statusCode(404);
    }

    /** Fires a made-up alert straight into notification, as the engine does after recording it; returns its id. */
    private String fire(String rule, String severity, String category, String symbol) {
        String id = UUID.randomUUID().toString();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("rule", rule);
        labels.put("severity", severity);
        if (category != null) {
            labels.put("category", category);
        }
        if (symbol != null) {
            labels.put("symbol", symbol);
        }
        Instant now = Instant.now();
        Alert alert = Alert.of(id, rule, severity, rule + " " + id, rule + ":" + id, now, now, 1, false, now)
                .labelled(labels, List.of());
        notifier.fired(alert, labels);
        return id;
    }

    private void insertCriticalError(String symbol) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_logs (error_id, error_type, error_message, severity, category, symbol, fingerprint, occurred_at)
                VALUES ($1, 'CrashError', $2, 'critical', 'unknown', $3, $4, now())""",
                UUID.randomUUID().toString(), "crash of " + symbol, symbol, "fp-" + symbol);
    }

    private List<String> statuses() {
        return given().get("/api/notifications").then().statusCode(200).extract().jsonPath().getList("status", String.class);
    }

    private static JsonNode awaitMessage(String path, String alertId, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.accepted(path).stream()
                .anyMatch(r -> r.json().path("status").asText().equals(status) && alertIn(r.json(), alertId) != null));
        return sink.accepted(path).stream().map(ReceiverSink.Request::json)
                .filter(j -> j.path("status").asText().equals(status) && alertIn(j, alertId) != null).findFirst().orElseThrow();
    }

    private static JsonNode alertIn(JsonNode message, String alertId) {
        return StreamSupport.stream(message.path("alerts").spliterator(), false)
                .filter(a -> alertId.equals(a.path("alert_id").asText())).findFirst().orElse(null);
    }

    private static String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
