package dev.monitoring.monitor.alerts;

import dev.monitoring.model.api.Alert;
import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.selfwatch.SelfWatch;
import dev.monitoring.testsupport.ManagementInterface;
import io.micrometer.core.instrument.MeterRegistry;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class AlertEngineTest {
    @Inject
    AlertEngine engine;
    @Inject
    AlertsConfig config;
    @Inject
    RedisDataSource redis;
    @Inject
    Pool pool;
    @Inject
    ChannelsConfig channels;
    @Inject
    EventCodec codec;
    @Inject
    RedisEventSubscriber subscriber;
    @Inject
    AlertRules rules;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    Heartbeats heartbeats;
    @Inject
    RuleHealth ruleHealth;
    @Inject
    SelfWatch selfWatch;
    @Inject
    MeterRegistry registry;
    @Inject
    AlertNotifications notifications;
    @Inject
    dev.monitoring.monitor.silences.SilenceStore silences;

    final ConcurrentLinkedQueue<JsonNode> published = new ConcurrentLinkedQueue<>();
    PubSubCommands.RedisSubscriber alertsListener;

    @BeforeEach
    void cleanAndListen() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        alertsListener = redis.pubsub(String.class).subscribe(channels.alerts(), json -> {
            try {
                published.add(codec.mapper().readTree(json));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stopListening() {
        alertsListener.unsubscribe();
    }

    @Test
    void criticalErrorRaisesOneAlertThenOneReminderAfterTheInterval() {
        for (int i = 0; i < 3; i++) {
            publishError("critical", "unknown", "CrashError", "engine crashed at step " + i, null);
        }
        awaitStored(3);

        Instant firstRound = Instant.now();
        List<?> first = engine.evaluate();
        List<?> second = engine.evaluate();

        assertThat(first).hasSize(1);
        assertThat(second).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        JsonNode alert = published.peek();
        assertThat(alert.get("rule").asText()).isEqualTo("critical_error");
        assertThat(alert.get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("count").asLong()).isEqualTo(3);
        assertThat(alert.get("reminder").asBoolean()).isFalse();
        assertThat(alert.get("message").asText()).startsWith("Critical error: CrashError: engine crashed at step");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> !engine.evaluate().isEmpty());
        assertThat(Duration.between(firstRound, Instant.now())).isGreaterThanOrEqualTo(config.reminderInterval().minusMillis(1)); // stored in microseconds
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        JsonNode reminder = published.stream().skip(1).findFirst().orElseThrow();
        assertThat(reminder.get("reminder").asBoolean()).isTrue();
        assertThat(reminder.get("alert_id").asText()).isEqualTo(alert.get("alert_id").asText());
        given()
                .when().get("/api/alerts")
                .then()
                    .statusCode(200)
                    .body("size()", equalTo(1))
                    .body("[0].rule", equalTo("critical_error"))
                    .body("[0].reminders", equalTo(1))
                    .body("[0].reminder", equalTo(true));
    }

    @Test
    void errorRateAndCategoryBurstFireOnlyAboveTheirThresholds() {
        for (int i = 0; i < 10; i++) {
            publishError("error", "network", "NetError" + i, "connection reset", null);
        }
        awaitStored(10);
        assertThat(rules(engine.evaluate())).containsExactly("category_burst:network");

        publishError("error", "network", "NetError10", "connection reset", null);
        awaitStored(11);
        assertThat(rules(engine.evaluate())).containsExactly("error_rate");
        assertThat(engine.evaluate()).isEmpty();
    }

    @Test
    void patternFailuresForOneSymbolAndDatabaseErrorsFire() {
        for (int i = 0; i < 3; i++) {
            publishError("error", "pattern", "PatternDetectionError", "no doji " + i, "AAPL");
        }
        awaitStored(3);
        assertThat(rules(engine.evaluate())).isEmpty();

        publishError("error", "pattern", "PatternDetectionError", "no doji 3", "AAPL");
        publishError("error", "database", "OperationalError", "connection refused", null);
        awaitStored(5);
        assertThat(rules(engine.evaluate())).containsExactlyInAnyOrder("pattern_failures:AAPL", "database_error:");
    }

    @Test
    void staleJobRaisesOneAlertThatResolvesWhenFreshAgain() {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.freshness (job, symbol, timeframe, last_success_at, last_attempt_at, last_status)
                VALUES ('daily-bars', 'MSFT', 'daily', $1, $1, 'completed')""", Instant.now().minus(Duration.ofHours(30)).atOffset(ZoneOffset.UTC));

        assertThat(rules(engine.evaluate())).containsExactly("job_stale:daily-bars|MSFT|daily");
        assertThat(engine.evaluate()).isEmpty();

        MonitorTables.execute(pool, "UPDATE monitor.freshness SET last_success_at = now()");
        assertThat(engine.evaluate()).isEmpty();
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE resolved_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void aStaleUntargetedJobAndACriticalErrorBothRaiseTheirAlerts() {
        // a job without symbol or timeframe (stored as '') made the stale-job rule throw, and with it every rule
        MonitorTables.execute(pool, """
                INSERT INTO monitor.freshness (job, last_success_at, last_attempt_at, last_status)
                VALUES ('nightly-backfill', $1, $1, 'completed')""", Instant.now().minus(Duration.ofHours(30)).atOffset(ZoneOffset.UTC));
        publishError("critical", "unknown", "CrashError", "engine crashed", null);
        awaitStored(1);

        List<Alert> raised = engine.evaluate();

        assertThat(rules(raised)).containsExactlyInAnyOrder("job_stale:nightly-backfill||", "critical_error:");
        assertThat(raised).filteredOn(a -> a.rule().equals("job_stale")).singleElement()
                .satisfies(a -> assertThat(a.message()).startsWith("Job nightly-backfill is stale: last success "));
        assertThat(engine.failingRules()).isEmpty();
    }

    @Test
    void aJobNoCheckWatchesThatReportsAFailureRaisesAnAlertItsNextSuccessResolves() {
        // a script elsewhere reports its runs with redis-cli, untargeted and for one target
        publishExecution("{\"event\":\"job.failed\",\"execution_id\":\"x-1\",\"job\":\"foreign-etl\",\"error_message\":\"API returned 503\"}");
        publishExecution("{\"event\":\"job.failed\",\"execution_id\":\"x-2\",\"job\":\"foreign-etl\",\"symbol\":\"MSFT\",\"timeframe\":\"1d\"}");
        // a job a check watches fails too: its check's check_failed speaks for it, with its retries
        MonitorTables.execute(pool, """
                INSERT INTO monitor.checks (name, period_seconds, grace_seconds, ping_key, badge_key, created_at, updated_at)
                VALUES ('watched-etl', 3600, 60, 'k-watched-etl', 'b-watched-etl', now(), now())""");
        publishExecution("{\"event\":\"job.failed\",\"execution_id\":\"x-3\",\"job\":\"watched-etl\"}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness WHERE last_status = 'failed'") == 3);

        List<Alert> raised = engine.evaluate();

        assertThat(rules(raised)).containsExactlyInAnyOrder("job_failed:foreign-etl||", "job_failed:foreign-etl|MSFT|1d",
                "check_failed:watched-etl");
        assertThat(raised).filteredOn(a -> a.key().equals("job_failed:foreign-etl||")).singleElement().satisfies(a -> {
            assertThat(a.message()).isEqualTo("Job foreign-etl failed: API returned 503");
            assertThat(a.severity()).isEqualTo("error");
        });
        assertThat(raised).filteredOn(a -> a.key().equals("job_failed:foreign-etl|MSFT|1d")).singleElement()
                .satisfies(a -> assertThat(a.message()).isEqualTo("Job foreign-etl MSFT 1d failed"));
        assertThat(engine.evaluate()).as("one alert per condition").isEmpty();

        publishExecution("{\"event\":\"job.succeeded\",\"execution_id\":\"x-4\",\"job\":\"foreign-etl\"}");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness WHERE last_status = 'failed'") == 2);
        assertThat(engine.evaluate()).isEmpty();
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE resolved_at IS NOT NULL "
                + "AND key = 'job_failed:foreign-etl||'")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE resolved_at IS NULL")).isEqualTo(2);
    }

    @Test
    void aRuleThatThrowsIsCountedNamedAndAlertedWhileTheOtherRulesKeepWorking() {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.freshness (job, symbol, timeframe, last_success_at, last_attempt_at, last_status)
                VALUES ('daily-bars', 'MSFT', 'daily', $1, $1, 'completed')""", Instant.now().minus(Duration.ofHours(30)).atOffset(ZoneOffset.UTC));
        assertThat(rules(engine.evaluate())).containsExactly("job_stale:daily-bars|MSFT|daily");
        double failuresBefore = registry.counter("monitor.alert.rule.failures", "rule", "job_stale").count();

        // a real fault in the queries of two rules (job_stale, job_failed): the table they read is gone
        MonitorTables.execute(pool, "ALTER TABLE monitor.freshness RENAME TO freshness_away");
        try {
            publishError("critical", "unknown", "CrashError", "engine crashed", null);
            awaitStored(1);

            assertThat(rules(engine.evaluate())).as("the critical error is still alerted").containsExactly("critical_error:");
            assertThat(engine.failingRules()).containsOnlyKeys("job_stale", "job_failed");
            assertThat(registry.counter("monitor.alert.rule.failures", "rule", "job_stale").count()).isEqualTo(failuresBefore + 1);
            assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'job_stale' AND resolved_at IS NULL"))
                    .as("whether the stale job is fresh again is unknown: its alert stays open").isEqualTo(1);
            ManagementInterface.given()
                    .when().get("/q/health/ready")
                    .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'alert-rules' }.data.state", equalTo("degraded"))
                        .body("checks.find { it.name == 'alert-rules' }.data.'failing.job_stale'", org.hamcrest.Matchers.containsString("freshness"));

            assertThat(selfWatch.check()).extracting(c -> c.rule()).contains("alert_rule_failed");
            await().atMost(Duration.ofSeconds(5)).until(() -> published.stream().filter(a -> a.get("rule").asText().equals("alert_rule_failed"))
                    .count() == 2);
            assertThat(published).filteredOn(a -> a.get("rule").asText().equals("alert_rule_failed"))
                    .allSatisfy(a -> assertThat(a.get("severity").asText()).isEqualTo("critical"))
                    .anySatisfy(a -> assertThat(a.get("message").asText()).startsWith("Alert rule 'job_stale' fails"))
                    .anySatisfy(a -> assertThat(a.get("message").asText()).startsWith("Alert rule 'job_failed' fails"));
            assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'alert_rule_failed' AND resolved_at IS NULL"))
                    .isEqualTo(2);
        } finally {
            MonitorTables.execute(pool, "ALTER TABLE monitor.freshness_away RENAME TO freshness");
        }

        engine.evaluate();
        assertThat(engine.failingRules()).isEmpty();
        assertThat(selfWatch.check()).extracting(c -> c.rule()).doesNotContain("alert_rule_failed");
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'alert_rule_failed' AND resolved_at IS NOT NULL"))
                .isEqualTo(2);
    }

    @Test
    void aRuleWhoseQueryPostgresHoldsUpIsNotAskedAgainUntilItEndsSoStuckQueriesCannotTakeThePool() throws Exception {
        String waiting = """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%monitor.freshness%'""";
        // a long transaction holds the table two rules read (job_stale, job_failed: monitor.freshness), as a TRUNCATE
        // in a maintenance script or a long migration would
        try (AutoCloseable lock = MonitorTables.lock(pool, "monitor.freshness")) {
            publishError("critical", "unknown", "CrashError", "engine crashed", null);
            awaitStored(1);

            assertThat(rules(engine.evaluate())).as("the other rules go on").containsExactly("critical_error:");
            assertThat(engine.failingRules()).containsOnlyKeys("job_stale", "job_failed");
            assertThat(engine.failingRules().values()).allSatisfy(r -> assertThat(r)
                    .contains("no answer from PostgreSQL within 3s"));

            for (int round = 0; round < 3; round++) {
                long started = System.nanoTime();
                engine.evaluate();
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("a round does not wait for the rule again").isLessThan(Duration.ofSeconds(5));
            }
            assertThat(engine.failingRules().values()).allSatisfy(r -> assertThat(r).contains("is still running in PostgreSQL"));
            // one statement per rule waits on the lock, however many rounds went by (before: one more every round,
            // until they held every connection of the pool)
            assertThat(MonitorTables.count(pool, waiting)).isEqualTo(2);
        }

        // once its earlier query has ended, the rule is asked again and works
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            engine.evaluate();
            return engine.failingRules().isEmpty();
        });
        assertThat(MonitorTables.count(pool, waiting)).isZero();
    }

    @Test
    void anAlertQuotesAHostileMessageCutToItsBound() {
        publishError("critical", "unknown", "CrashError", "1a".repeat(30_000) + "g\\r\\nforged line", null);
        awaitStored(1);

        List<Alert> raised = engine.evaluate();

        assertThat(raised).singleElement().satisfies(a -> assertThat(a.message().length())
                .isLessThanOrEqualTo(AlertCondition.MAX_MESSAGE));
    }

    /** Keys without the fingerprint hashes, so the assertions stay readable. */
    @Test
    void twoReplicasEvaluatingAtTheSameInstantPublishEachAlertAndReminderOnce() throws Exception {
        publishError("critical", "unknown", "CrashError", "engine crashed", null);
        awaitStored(1);
        AlertEngine otherReplica = new AlertEngine(rules, pool, reactiveRedis, codec, channels, config, heartbeats, ruleHealth, notifications, silences);
        ExecutorService both = Executors.newFixedThreadPool(2);
        List<Alert> alerts = new ArrayList<>();
        try {
            // both replicas, released together, for a little more than two reminder intervals
            Instant end = Instant.now().plus(config.reminderInterval().multipliedBy(2)).plusMillis(700);
            while (Instant.now().isBefore(end)) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<Alert>>> rounds = new ArrayList<>();
                for (AlertEngine replica : List.of(engine, otherReplica)) {
                    rounds.add(both.submit(() -> {
                        go.await();
                        return replica.evaluate();
                    }));
                }
                go.countDown();
                for (Future<List<Alert>> round : rounds) {
                    alerts.addAll(round.get(30, TimeUnit.SECONDS));
                }
            }
        } finally {
            both.shutdownNow();
        }

        assertThat(alerts.stream().filter(a -> !a.reminder())).as("new alerts published").hasSize(1);
        List<Instant> reminders = alerts.stream().filter(Alert::reminder)
                .map(Alert::timestamp).sorted().toList();
        assertThat(reminders).as("reminders published").hasSizeBetween(1, 2);
        for (int i = 1; i < reminders.size(); i++) {
            assertThat(Duration.between(reminders.get(i - 1), reminders.get(i))).isGreaterThanOrEqualTo(config.reminderInterval().minusMillis(1)); // stored in microseconds
        }
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT reminders::bigint FROM monitor.alerts")).isEqualTo(reminders.size());
    }

    private static List<String> rules(List<Alert> alerts) {
        return alerts.stream().map(a -> {
            String key = a.key();
            return key.startsWith("critical_error:") || key.startsWith("database_error:") ? key.substring(0, key.indexOf(':') + 1) : key;
        }).toList();
    }

    private void publishError(String severity, String category, String type, String message, String symbol) {
        String context = symbol == null ? "" : ",\"context\":{\"symbol\":\"" + symbol + "\"}";
        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + UUID.randomUUID() + "\",\"severity\":\"" + severity
                + "\",\"category\":\"" + category + "\",\"error_type\":\"" + type + "\",\"error_message\":\"" + message + "\"" + context + "}");
    }

    private void publishExecution(String json) {
        RawPublish.publish(redis, channels.executions(), json);
    }

    private void awaitStored(long n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs") == n);
    }
}
