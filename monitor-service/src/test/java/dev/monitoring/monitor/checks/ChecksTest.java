package dev.monitoring.monitor.checks;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.alerts.AlertEngine;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Checks through the monitor's API, with the checks' clock moved by the test: each state and each alert of issue 18,
 * pings and execution events giving the same result, and signals that arrive twice counted once.
 */
@QuarkusTest
class ChecksTest {
    private static final Instant T0 = Instant.parse("2026-12-01T05:00:00Z");

    @Inject
    MovableCheckClock clock;
    @Inject
    AlertEngine engine;
    @Inject
    Pool pool;
    @Inject
    RedisDataSource redis;
    @Inject
    ChannelsConfig channels;
    @Inject
    CheckStore store;
    @Inject
    RunnerChecks runnerChecks;
    @Inject
    dev.monitoring.monitor.alerts.AlertRules rules;
    @Inject
    io.quarkus.redis.datasource.ReactiveRedisDataSource reactiveRedis;
    @Inject
    dev.monitoring.model.EventCodec codec;
    @Inject
    dev.monitoring.monitor.alerts.AlertsConfig alertsConfig;
    @Inject
    dev.monitoring.model.liveness.Heartbeats heartbeats;
    @Inject
    dev.monitoring.monitor.alerts.RuleHealth ruleHealth;
    @Inject
    dev.monitoring.monitor.alerts.AlertNotifications notifications;
    @Inject
    dev.monitoring.monitor.silences.SilenceStore silences;

    @BeforeEach
    void clean() {
        MonitorTables.truncateAll(pool);
        clock.set(T0);
    }

    @AfterEach
    void realTime() {
        clock.release();
    }

    @Test
    void aCheckIsMadeWithAPingKeyAndRefusedWithTheFieldThatIsWrong() {
        clock.set(Instant.parse("2026-12-01T03:30:00Z"));
        JsonPath made = create("""
                {"name":"nightly-backfill","schedule":"0 6 * * *","timezone":"Europe/Berlin","grace_seconds":600}""");
        assertThat(made.getString("ping_key")).hasSizeGreaterThanOrEqualTo(22);
        assertThat(made.getString("state")).isEqualTo("new");
        assertThat(made.getString("next_expected_at")).isEqualTo("2026-12-01T05:00:00Z"); // 06:00 in Berlin (UTC+1)

        given().contentType(ContentType.JSON).body("{\"name\":\"nightly-backfill\",\"period_seconds\":60}").post("/api/checks")
                .then().statusCode(409).body("parameter", equalTo("name"));
        refused("{\"name\":\"x\",\"period_seconds\":60,\"schedule\":\"0 6 * * *\"}", "schedule", "not both");
        refused("{\"name\":\"x\"}", "schedule", "either");
        refused("{\"name\":\"x\",\"schedule\":\"0 25 * * *\"}", "schedule", "cron");
        refused("{\"name\":\"x\",\"schedule\":\"0 6 * * *\",\"timezone\":\"Mars/Olympus\"}", "timezone", "IANA");
        refused("{\"name\":\"x\",\"period_seconds\":60,\"grace\":5}", "grace", "unknown field");
        refused("{\"name\":\"x y\",\"period_seconds\":60}", "name", "is not a check name: 1 to 100 letters");
        refused("{\"name\":\"" + "n".repeat(300) + "\",\"period_seconds\":60}", "name", "1 to 100 letters");
        refused("{\"name\":\" \",\"period_seconds\":60}", "name", "'name' is required");
        refused("{\"name\":\"x\",\"period_seconds\":60,\"depends_on\":[\"x\"]}", "depends_on", "itself");
        refused("{\"name\":\"x\",\"period_seconds\":60,\"min_runtime_seconds\":9,\"max_runtime_seconds\":9}", "min_runtime_seconds", "below");

        given().contentType(ContentType.JSON).body("{\"period_seconds\":120}").put("/api/checks/nightly-backfill")
                .then().statusCode(200).body("period_seconds", equalTo(120)).body("ping_key", equalTo(made.getString("ping_key")));
        given().delete("/api/checks/nightly-backfill").then().statusCode(204);
        given().get("/api/checks/nightly-backfill").then().statusCode(404);
    }

    @Test
    void aMissedRunIsLateAfterItsGraceAlertsAndRecoversWithTheNextPing() {
        String key = create("{\"name\":\"hourly-export\",\"period_seconds\":3600,\"grace_seconds\":300}").getString("ping_key");
        ping(key, "");
        assertState("hourly-export", "up");

        clock.advance(Duration.ofSeconds(3600 + 300));
        assertState("hourly-export", "up"); // the last second of grace
        assertThat(openAlerts("check_late")).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertState("hourly-export", "late");
        assertThat(openAlerts("check_late")).containsExactly("check_late:hourly-export");

        ping(key, "");
        assertState("hourly-export", "up");
        assertThat(openAlerts("check_late")).isEmpty();
        assertThat(resolvedAlerts("check_late")).isEqualTo(1);
    }

    @Test
    void aRunThatDoesNotFinishInItsMaxRuntimeAlertsAndItsDurationIsKept() {
        String key = create("{\"name\":\"long-job\",\"period_seconds\":86400,\"max_runtime_seconds\":60}").getString("ping_key");
        ping(key, "/start");
        assertState("long-job", "running");
        clock.advance(Duration.ofSeconds(61));
        assertThat(state("long-job").getString("state")).isEqualTo("late");
        assertThat(state("long-job").getString("reason")).contains("over max_runtime_seconds 60");
        assertThat(openAlerts("check_running_too_long")).containsExactly("check_running_too_long:long-job");

        ping(key, "");
        assertState("long-job", "up");
        assertThat(state("long-job").getLong("last_duration_ms")).isEqualTo(61_000L);
        assertThat(openAlerts("check_running_too_long")).isEmpty();
    }

    @Test
    void aRunWithoutAMaxRuntimeThatNeverEndsIsCaughtOnceItsNextRunIsDueAndItsGraceIsOver() {
        String key = create("{\"name\":\"hangs\",\"period_seconds\":600,\"grace_seconds\":60}").getString("ping_key");
        ping(key, "/start");
        clock.advance(Duration.ofSeconds(660));
        assertState("hangs", "running");
        assertThat(openAlerts("check_running_too_long")).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(state("hangs").getString("state")).isEqualTo("late");
        assertThat(state("hangs").getString("reason")).contains("past the next expected start");
        assertThat(openAlerts("check_running_too_long")).containsExactly("check_running_too_long:hangs");
    }

    @Test
    void failuresAndExitCodesAreDownUntilASuccess() {
        String key = create("{\"name\":\"cron-sync\",\"schedule\":\"*/5 * * * *\"}").getString("ping_key");
        ping(key, "/fail");
        assertState("cron-sync", "down");
        assertThat(openAlerts("check_failed")).containsExactly("check_failed:cron-sync");

        ping(key, "/3", "Traceback: disk full");
        JsonPath s = state("cron-sync");
        assertThat(s.getString("state")).isEqualTo("down");
        assertThat(s.getString("reason")).isEqualTo("last run failed with exit code 3");
        assertThat(s.getInt("last_exit_code")).isEqualTo(3);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.check_runs WHERE output = 'Traceback: disk full'")).isEqualTo(1);

        ping(key, "/0");
        assertState("cron-sync", "up");
        assertThat(openAlerts("check_failed")).isEmpty();

        given().contentType(ContentType.TEXT).post("/api/checks/pings/" + key + "/256").then().statusCode(400).body("parameter", equalTo("signal"));
        given().contentType(ContentType.TEXT).post("/api/checks/pings/no-such-key").then().statusCode(404);
    }

    @Test
    void aRunFasterThanItsMinimumAndARunFarLongerThanUsualAlert() {
        String key = create("{\"name\":\"etl\",\"period_seconds\":3600,\"min_runtime_seconds\":5}").getString("ping_key");
        for (int i = 0; i < 6; i++) {
            run(key, Duration.ofSeconds(10));
        }
        assertState("etl", "up");
        assertThat(openAlerts("check_duration_anomaly")).isEmpty();

        run(key, Duration.ofSeconds(21)); // over 2 x the p95 (10 s) of the runs before it
        assertThat(openAlerts("check_duration_anomaly")).containsExactly("check_duration_anomaly:etl");
        assertThat(state("etl").getList("recent_durations_ms", Long.class)).hasSize(7).endsWith(21_000L);

        run(key, Duration.ofSeconds(2));
        assertState("etl", "down");
        assertThat(openAlerts("check_too_fast")).containsExactly("check_too_fast:etl");
        assertThat(openAlerts("check_duration_anomaly")).as("recovered with the next normal run").isEmpty();
    }

    @Test
    void aCheckWhoseDependencyIsDownIsBlockedWithoutALateAlertUntilTheDependencyIsBack() {
        String upstream = create("{\"name\":\"load\",\"period_seconds\":86400,\"grace_seconds\":60}").getString("ping_key");
        String downstream = create("{\"name\":\"report\",\"period_seconds\":3600,\"grace_seconds\":60,\"depends_on\":[\"load\"]}")
                .getString("ping_key");
        ping(upstream, "");
        ping(downstream, "");
        ping(upstream, "/fail");
        clock.advance(Duration.ofSeconds(3661));

        JsonPath report = state("report");
        assertThat(report.getString("state")).isEqualTo("blocked");
        assertThat(report.getString("reason")).isEqualTo("waiting for load (down)");
        assertThat(openAlerts("check_late")).isEmpty();
        assertThat(openAlerts("check_failed")).containsExactly("check_failed:load");

        given().get("/api/scheduler-health").then().statusCode(200).body("status", equalTo("degraded"))
                .body("checks.total", equalTo(2)).body("checks.by_state.down", equalTo(1)).body("checks.by_state.blocked", equalTo(1))
                .body("checks.trouble.name", org.hamcrest.Matchers.contains("load", "report"));
        given().get("/api/freshness").then().statusCode(200).body("checks.trouble[1].reason", equalTo("waiting for load (down)"));

        ping(upstream, "");
        assertState("report", "late");
        assertThat(openAlerts("check_late")).containsExactly("check_late:report");
    }

    @Test
    void overlappingRunsArePairedByRid() {
        String key = create("{\"name\":\"parallel\",\"period_seconds\":3600}").getString("ping_key");
        pingRid(key, "/start", "a");
        clock.advance(Duration.ofSeconds(5));
        pingRid(key, "/start", "b");
        clock.advance(Duration.ofSeconds(5));
        pingRid(key, "", "a");
        clock.advance(Duration.ofSeconds(2));
        pingRid(key, "", "b");
        pingRid(key, "", "b"); // the same finish again: counted once

        assertThat(durations("parallel")).containsExactly(10_000L, 7_000L);
    }

    @Test
    void anExecutionEventPublishedLikeRedisCliGivesWhatAPingGivesAndTwoCopiesCountOnce() {
        String viaPing = create("{\"name\":\"ping-job\",\"period_seconds\":3600,\"grace_seconds\":60}").getString("ping_key");
        create("{\"name\":\"event-job\",\"period_seconds\":3600,\"grace_seconds\":60}");
        String run = UUID.randomUUID().toString();

        pingRid(viaPing, "/start", run);
        publish("job.started", "event-job", run, null);
        publish("job.started", "event-job", run, null); // a second copy (another replica's, a replay)
        await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(state("event-job").getString("state")));
        assertState("ping-job", "running");

        clock.advance(Duration.ofSeconds(30));
        pingRid(viaPing, "", run);
        publish("job.succeeded", "event-job", run, null);
        publish("job.succeeded", "event-job", run, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> "up".equals(state("event-job").getString("state")));
        assertThat(durations("event-job")).isEqualTo(durations("ping-job")).containsExactly(30_000L);

        clock.advance(Duration.ofSeconds(3600 + 61));
        assertState("ping-job", "late");
        assertState("event-job", "late");
        assertThat(openAlerts("check_late")).containsExactlyInAnyOrder("check_late:ping-job", "check_late:event-job");
    }

    @Test
    void twoMonitorsJudgingAtTheSameInstantRaiseEachLateCheckOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            ping(create("{\"name\":\"replicated-" + i + "\",\"period_seconds\":60,\"grace_seconds\":10}").getString("ping_key"), "");
        }
        clock.advance(Duration.ofSeconds(71));
        AlertEngine otherMonitor = new AlertEngine(rules, pool, reactiveRedis, codec, channels, alertsConfig, heartbeats, ruleHealth,
                notifications, silences);
        java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<dev.monitoring.model.api.Alert> raised = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            for (int round = 0; round < 3; round++) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<List<dev.monitoring.model.api.Alert>>> rounds = new java.util.ArrayList<>();
                for (AlertEngine monitor : List.of(engine, otherMonitor)) {
                    rounds.add(both.submit(() -> {
                        go.await();
                        return monitor.evaluate();
                    }));
                }
                go.countDown();
                for (var r : rounds) {
                    raised.addAll(r.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
            }
        } finally {
            both.shutdownNow();
        }
        assertThat(raised.stream().filter(a -> !a.reminder()).map(dev.monitoring.model.api.Alert::key).sorted().toList())
                .as("one late alert per check, from either monitor").hasSize(20).doesNotHaveDuplicates()
                .allMatch(k -> k.startsWith("check_late:replicated-"));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'check_late'")).isEqualTo(20);
    }

    @Test
    void aPausedCheckRaisesNothingUntilResumed() {
        String key = create("{\"name\":\"seasonal\",\"period_seconds\":60,\"grace_seconds\":0}").getString("ping_key");
        ping(key, "/fail");
        given().post("/api/checks/seasonal/pause").then().statusCode(200).body("state", equalTo("paused"));
        clock.advance(Duration.ofHours(5));
        assertThat(openAlerts("check_late")).isEmpty();
        assertThat(openAlerts("check_failed")).isEmpty();

        given().post("/api/checks/seasonal/resume").then().statusCode(200).body("state", equalTo("late"));
        assertThat(openAlerts("check_late")).containsExactly("check_late:seasonal");
    }

    @Test
    void checksOfTheFileAreMadeUpdatedAndRemovedWhileThoseOfTheApiStay() {
        create("{\"name\":\"made-by-hand\",\"period_seconds\":60}");
        CheckStore.Declared first = store.declare(CheckFile.parse("""
                checks:
                  - name: nightly-backfill
                    schedule: "0 6 * * *"
                    timezone: Europe/Berlin
                    grace_seconds: 600
                  - name: made-by-hand
                    period_seconds: 999
                  - name: gone-next-time
                    period_seconds: 3600
                """, "checks.yaml"), "file");
        assertThat(first.leftAlone()).containsExactly("made-by-hand");
        assertThat(state("nightly-backfill").getString("source")).isEqualTo("file");
        assertThat(state("made-by-hand").getLong("period_seconds")).as("a check of the API is not taken over").isEqualTo(60L);
        given().contentType(ContentType.JSON).body("{\"period_seconds\":120}").put("/api/checks/nightly-backfill")
                .then().statusCode(409).body("error", containsString("CHECKS_FILE"));

        int removed = store.declare(CheckFile.parse("checks:\n  - {name: nightly-backfill, schedule: '0 7 * * *', timezone: Europe/Berlin}\n",
                "checks.yaml"), "file").removed();
        assertThat(removed).isEqualTo(1);
        assertThat(state("nightly-backfill").getString("schedule")).isEqualTo("0 7 * * *");
        given().get("/api/checks/gone-next-time").then().statusCode(404);
        assertState("made-by-hand", "new");
    }

    @Test
    void theRunnersJobsBecomeChecksAndAnAttemptThatWillBeRetriedDoesNotTakeOneDown() {
        create("{\"name\":\"made-by-hand\",\"period_seconds\":60}");
        // what the runner writes (JobChecks): one check per job; a check the monitor refuses is left out alone
        redis.execute("SET", channels.runnerChecks(), """
                {"checks":[
                  {"name":"price-ingest","schedule":"0 * * * * ?","timezone":"UTC","grace_seconds":300,"max_runtime_seconds":96},
                  {"name":"disk-report","schedule":"0 */5 * * * ?","timezone":"UTC","grace_seconds":300,"max_runtime_seconds":10},
                  {"name":"made-by-hand","schedule":"0 * * * * ?","timezone":"UTC","grace_seconds":300},
                  {"name":"broken","schedule":"every minute"}]}""");
        assertThat(runnerChecks.sync()).isTrue();

        assertThat(state("price-ingest").getString("source")).isEqualTo("runner");
        assertThat(state("price-ingest").getLong("max_runtime_seconds")).isEqualTo(96L);
        assertThat(state("made-by-hand").getString("source")).as("a check of the API is not taken over").isEqualTo("api");
        given().get("/api/checks/broken").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"period_seconds\":120}").put("/api/checks/price-ingest")
                .then().statusCode(409).body("error", containsString("JOBS_FILE"));

        // attempt 1 fails and will be retried, attempt 2 succeeds: one run, never down
        String execution = UUID.randomUUID().toString();
        publish("job.started", "price-ingest", execution, null);
        publishRaw("{\"event\":\"job.failed\",\"execution_id\":\"%s\",\"job\":\"price-ingest\",\"attempt\":1,\"will_retry\":true,\"error_message\":\"connection reset by peer\"}"
                .formatted(execution));
        await().atMost(Duration.ofSeconds(5)).until(() -> MonitorTables.count(pool,
                "SELECT count(*) FROM monitor.executions WHERE execution_key = $1 AND status = 'failed'", execution) == 1);
        assertState("price-ingest", "running");
        clock.advance(Duration.ofSeconds(3));
        publish("job.started", "price-ingest", execution, null);
        clock.advance(Duration.ofSeconds(1));
        publish("job.succeeded", "price-ingest", execution, null);
        await().atMost(Duration.ofSeconds(5)).until(() -> "up".equals(state("price-ingest").getString("state")));
        assertThat(durations("price-ingest")).as("the execution with its retry is one run").containsExactly(4_000L);
        assertThat(openAlerts("check_failed")).isEmpty();

        // the same attempt's failure without a retry is the run's
        String failing = UUID.randomUUID().toString();
        publish("job.started", "price-ingest", failing, null);
        publishRaw("{\"event\":\"job.failed\",\"execution_id\":\"%s\",\"job\":\"price-ingest\",\"attempt\":3,\"will_retry\":false}"
                .formatted(failing));
        await().atMost(Duration.ofSeconds(5)).until(() -> "down".equals(state("price-ingest").getString("state")));

        redis.execute("SET", channels.runnerChecks(), """
                {"checks":[{"name":"price-ingest","schedule":"0 * * * * ?","timezone":"UTC","grace_seconds":300,"max_runtime_seconds":96}]}""");
        runnerChecks.sync();
        given().get("/api/checks/disk-report").then().statusCode(404);
        assertState("made-by-hand", "new");

        redis.execute("DEL", channels.runnerChecks());
        assertThat(runnerChecks.sync()).as("no declaration (Redis restarted empty) changes nothing").isFalse();
        assertState("price-ingest", "down");
    }

    @Test
    void aDeclarationThatIsNotOneOrFarTooLongChangesNothingOrIsCut() {
        redis.execute("SET", channels.runnerChecks(), "not json");
        runnerChecks.scheduled(); // warned about, nothing thrown
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.checks")).isZero();

        StringBuilder many = new StringBuilder("{\"checks\":[");
        for (int i = 0; i < RunnerChecks.MAX_CHECKS + 500; i++) {
            many.append(i == 0 ? "" : ",").append("{\"name\":\"job-").append(i).append("\",\"period_seconds\":60}");
        }
        redis.execute("SET", channels.runnerChecks(), many.append("]}").toString());
        runnerChecks.sync();
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.checks WHERE source = 'runner'"))
                .as("anyone who writes to Redis writes this key: bounded").isEqualTo(RunnerChecks.MAX_CHECKS);
        redis.execute("DEL", channels.runnerChecks());
    }

    @Test
    void aFileWithAWrongCheckIsRefusedNamingTheCheckAndTheField() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckFile.parse("checks:\n  - {name: a, period_seconds: 60}\n"
                        + "  - {name: b, schedule: 'every day'}\n", "/etc/checks.yaml"))
                .hasMessageStartingWith("/etc/checks.yaml, check 2: 'schedule' is not a cron expression");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckFile.parse("checks: [{name: a, period_seconds: 60}, {name: a, period_seconds: 5}]",
                "f")).hasMessageContaining("declared twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckFile.parse("jobs: []", "f")).hasMessageContaining("'checks:'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckFile.parse("checks: [", "f")).hasMessageContaining("not valid YAML");
    }

    private JsonPath create(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/checks").then().statusCode(201).extract().jsonPath();
    }

    private static void refused(String body, String parameter, String reason) {
        given().contentType(ContentType.JSON).body(body).post("/api/checks")
                .then().statusCode(400).body("parameter", equalTo(parameter)).body("error", containsString(reason));
    }

    private static void ping(String key, String what) {
        ping(key, what, "");
    }

    private static void ping(String key, String what, String output) {
        given().contentType(ContentType.TEXT).body(output).post("/api/checks/pings/" + key + what).then().statusCode(200);
    }

    private static void pingRid(String key, String what, String rid) {
        given().contentType(ContentType.TEXT).queryParam("rid", rid).post("/api/checks/pings/" + key + what).then().statusCode(200);
    }

    /** A run of this length, started and finished by pings. */
    private void run(String key, Duration length) {
        ping(key, "/start");
        clock.advance(length);
        ping(key, "");
    }

    private void publish(String event, String job, String executionId, Double seconds) {
        String payload = """
                {"event":"%s","execution_id":"%s","job":"%s","timestamp":"%s"%s}""".formatted(event, executionId, job, clock.now(),
                seconds == null ? "" : ",\"duration_seconds\":" + seconds);
        assertThat(RawPublish.publish(redis, channels.executions(), payload)).isEqualTo(1);
    }

    private void publishRaw(String payload) {
        assertThat(RawPublish.publish(redis, channels.executions(), payload)).isEqualTo(1);
    }

    private static JsonPath state(String name) {
        return given().get("/api/checks/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static void assertState(String name, String expected) {
        assertThat(state(name).getString("state")).as(name + "'s state").isEqualTo(expected);
    }

    private List<Long> durations(String check) {
        return pool.preparedQuery("SELECT duration_ms FROM monitor.check_runs WHERE check_name = $1 AND duration_ms IS NOT NULL ORDER BY id")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(check)).await().atMost(Duration.ofSeconds(5))
                .stream().map(r -> r.getLong(0)).toList();
    }

    /** The keys of the open alerts of a rule, after an evaluation round. */
    private List<String> openAlerts(String rule) {
        engine.evaluate();
        return pool.preparedQuery("SELECT key FROM monitor.alerts WHERE rule = $1 AND resolved_at IS NULL ORDER BY key")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(rule)).await().atMost(Duration.ofSeconds(5))
                .stream().map(r -> r.getString(0)).toList();
    }

    private long resolvedAlerts(String rule) {
        return MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = $1 AND resolved_at IS NOT NULL", rule);
    }
}
