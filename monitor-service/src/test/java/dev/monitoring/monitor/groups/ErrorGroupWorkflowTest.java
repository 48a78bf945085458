package dev.monitoring.monitor.groups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.api.Alert;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.alerts.AlertEngine;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The error-group workflow against the real monitor, Redis and PostgreSQL: every state transition, the alerts they
 * raise (once), the audit trail, and the rules that count errors skipping ignored groups.
 */
@QuarkusTest
class ErrorGroupWorkflowTest {
    @Inject
    AlertEngine engine;
    @Inject
    GroupStates states;
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

    final ConcurrentLinkedQueue<JsonNode> told = new ConcurrentLinkedQueue<>();
    PubSubCommands.RedisSubscriber listener;
    long stored;

    @BeforeEach
    void clean() {
        MonitorTables.truncateAll(pool);
        stored = 0;
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
        listener = redis.pubsub(String.class).subscribe(channels.notifications(), json -> {
            try {
                told.add(codec.mapper().readTree(json));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stopListening() {
        listener.unsubscribe();
    }

    @Test
    void aResolvedGroupRegressesOnceOnANewErrorAndRaisesOneRegressionAlert() {
        String fp = groupOf("FeedError", "feed timed out");
        act(fp, "resolve", "{\"actor\":\"alice\",\"comment\":\"fixed in 1.4\"}").body("state", equalTo("resolved"));

        publish("FeedError", "feed timed out", Instant.now(), null);
        awaitStored();
        List<Alert> first = engine.evaluate();
        publish("FeedError", "feed timed out", Instant.now(), null);
        awaitStored();
        List<Alert> second = engine.evaluate();

        assertThat(first).filteredOn(a -> a.rule().equals("regression")).singleElement()
                .satisfies(a -> assertThat(a.message()).contains("FeedError").contains("feed timed out"));
        assertThat(second).noneMatch(a -> a.rule().equals("regression"));
        group(fp).body("state", equalTo("regressed"));
        given().get("/api/errors/groups/{fp}/activity", fp).then().statusCode(200)
                .body("action", equalTo(List.of("regressed", "resolved")))
                .body("actor", equalTo(List.of("monitor", "alice")))
                .body("[1].comment", equalTo("fixed in 1.4"))
                .body("[0].detail.from", equalTo("resolved"));

        // Resolved again: the regression alert ends; the next regression is a new alert.
        act(fp, "resolve", "{\"actor\":\"alice\"}");
        List<Alert> afterResolve = engine.evaluate();
        assertThat(afterResolve).noneMatch(a -> a.rule().equals("regression"));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'regression' AND resolved_at IS NULL")).isZero();
        publish("FeedError", "feed timed out", Instant.now(), null);
        awaitStored();
        assertThat(engine.evaluate()).filteredOn(a -> a.rule().equals("regression")).hasSize(1);
    }

    @Test
    void aLateOrReplayedOldErrorDoesNotRegressAResolvedGroup() {
        String fp = groupOf("FeedError", "feed timed out");
        act(fp, "resolve", "{\"actor\":\"alice\"}");

        // occurred before the resolve, delivered after it (a late producer, a stream replay)
        publish("FeedError", "feed timed out", Instant.now().minusSeconds(60), null);
        awaitStored();
        List<Alert> raised = engine.evaluate();

        assertThat(raised).noneMatch(a -> a.rule().equals("regression"));
        group(fp).body("state", equalTo("resolved")).body("count", equalTo(2));
    }

    @Test
    void aGroupResolvedInAReleaseRegressesOnlyOnAnErrorOfALaterRelease() {
        String fp = groupOf("FeedError", "feed timed out");
        act(fp, "resolve", "{\"actor\":\"alice\",\"in_release\":\"v1.4.2\"}").body("resolved_in_release", equalTo("v1.4.2"));

        publishInRelease("1.4.2"); // the release it was resolved in: the fix is not in it
        publishInRelease(null); // no release: cannot be shown to be a later one
        publishInRelease("1.3.9-hotfix");
        awaitStored();
        assertThat(engine.evaluate()).noneMatch(a -> a.rule().equals("regression"));
        group(fp).body("state", equalTo("resolved"));

        publishInRelease("1.4.10"); // later than 1.4.2 (numbers compare as numbers)
        awaitStored();
        assertThat(engine.evaluate()).filteredOn(a -> a.rule().equals("regression")).hasSize(1);
        given().get("/api/errors/groups/{fp}/activity", fp).then()
                .body("[0].action", equalTo("regressed")).body("[0].detail.release", equalTo("1.4.10"))
                .body("[0].detail.resolved_in_release", equalTo("v1.4.2")).body("[1].detail.in_release", equalTo("v1.4.2"));

        given().contentType(ContentType.JSON).body("{\"in_release\":\"main\"}").post("/api/errors/groups/{fp}/resolve", fp)
                .then().statusCode(400).body("error", containsString("starts with a number"));
    }

    private void publishInRelease(String release) {
        String metadata = release == null ? "" : ",\"metadata\":{\"release\":\"" + release + "\"}";
        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + UUID.randomUUID() + "\",\"severity\":\"error\","
                + "\"category\":\"network\",\"error_type\":\"FeedError\",\"error_message\":\"feed timed out\","
                + "\"timestamp\":\"" + Instant.now() + "\",\"context\":{\"component\":\"pipeline\"" + metadata + "}}");
        stored++;
    }

    @Test
    void anIgnoreUntilMoreThanNReopensAtTheNPlusFirstErrorAndAlertsOnce() {
        String fp = groupOf("QuoteError", "stale quote");
        act(fp, "ignore", "{\"actor\":\"bob\",\"more_than\":3,\"comment\":\"vendor issue\"}")
                .body("state", equalTo("ignored")).body("ignore.more_than", equalTo(3));
        for (int i = 0; i < 3; i++) {
            publish("QuoteError", "stale quote", Instant.now(), null);
        }
        awaitStored();
        assertThat(engine.evaluate()).noneMatch(a -> a.rule().equals("group_reopened"));
        group(fp).body("state", equalTo("ignored"));

        publish("QuoteError", "stale quote", Instant.now(), null);
        awaitStored();
        List<Alert> raised = engine.evaluate();

        assertThat(raised).filteredOn(a -> a.rule().equals("group_reopened")).hasSize(1);
        assertThat(engine.evaluate()).noneMatch(a -> a.rule().equals("group_reopened"));
        group(fp).body("state", equalTo("unresolved")).body("reopened_at", org.hamcrest.Matchers.notNullValue());
        given().get("/api/errors/groups/{fp}/activity", fp).then()
                .body("action", equalTo(List.of("reopened", "ignored")))
                .body("[0].detail.reason", equalTo("more_than"))
                .body("[0].detail.since_ignored", equalTo(4));

        // Acting on the group again ends the reopened alert.
        act(fp, "unresolve", "{\"actor\":\"bob\"}").body("reopened_at", org.hamcrest.Matchers.nullValue());
        engine.evaluate();
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.alerts WHERE rule = 'group_reopened' AND resolved_at IS NULL")).isZero();
    }

    @Test
    void anIgnoreUntilATimeAndUntilARateReopenWhenTheirConditionIsMet() {
        String timed = groupOf("TimedError", "timed");
        String rated = groupOf("RatedError", "rated");
        act(timed, "ignore", "{\"until\":\"" + Instant.now().plusSeconds(1) + "\"}");
        act(rated, "ignore", "{\"rate_per_hour\":2}");
        publish("RatedError", "rated", Instant.now(), null);
        awaitStored();
        engine.evaluate();
        group(rated).body("state", equalTo("ignored")); // 2 in the hour (the first and this one): not more than 2

        publish("RatedError", "rated", Instant.now(), null);
        awaitStored();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            engine.evaluate();
            return reopened(timed) && reopened(rated);
        });
        given().get("/api/errors/groups/{fp}/activity", timed).then().body("[0].detail.reason", equalTo("until"));
        given().get("/api/errors/groups/{fp}/activity", rated).then().body("[0].detail.reason", equalTo("rate_per_hour"));
    }

    @Test
    void errorsOfAnIgnoredGroupAreStoredAndCountedButRaiseNoAlertOfTheCountingRules() {
        String noisy = groupOf("NoisyError", "noisy", "critical");
        act(noisy, "ignore", "{\"actor\":\"bob\"}").body("ignore.more_than", org.hamcrest.Matchers.nullValue());
        for (int i = 0; i < 15; i++) {
            publish("NoisyError", "noisy", Instant.now(), "critical");
        }
        awaitStored();

        List<Alert> raised = engine.evaluate();

        assertThat(raised).extracting(Alert::rule).doesNotContain("critical_error", "error_rate", "category_burst");
        group(noisy).body("count", equalTo(16)).body("state", equalTo("ignored"));
        // The same burst from a group not ignored alerts as before.
        for (int i = 0; i < 15; i++) {
            publish("OtherError", "other", Instant.now(), "critical");
        }
        awaitStored();
        assertThat(engine.evaluate()).extracting(Alert::rule).contains("critical_error", "error_rate");
    }

    @Test
    void twoMonitorsNoticingTheSameRegressionRecordAndTellItOnce() throws Exception {
        String fp = groupOf("FeedError", "feed timed out");
        act(fp, "resolve", "{\"actor\":\"alice\"}");
        publish("FeedError", "feed timed out", Instant.now(), null);
        awaitStored();
        told.clear();

        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = List.of(two.submit(() -> {
                go.await();
                return states.regressed().await().atMost(Duration.ofSeconds(10));
            }), two.submit(() -> {
                go.await();
                return states.regressed().await().atMost(Duration.ofSeconds(10));
            }));
            go.countDown();
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            two.shutdownNow();
        }

        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_group_activity WHERE action = 'regressed'")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> told.stream().anyMatch(m -> m.path("action").asText().equals("regressed")));
        assertThat(told).filteredOn(m -> m.path("action").asText().equals("regressed")).hasSize(1)
                .allSatisfy(m -> assertThat(m.path("group").path("fingerprint").asText()).isEqualTo(fp));
    }

    @Test
    void textPastedFromAnErrorNumbersAndAllFindsItsGroup() {
        String http = groupOf("HttpError", "HTTP 503 from venue gateway 10.2.3.4", "error", "IBM", "quotes");
        groupOf("DiskError", "disk 3 full", "error", null, "cleanup");

        // the group's pattern is "HTTP <n> from venue gateway <n>"
        given().get("/api/errors/groups?q=HTTP 503 from venue").then().statusCode(200).body("fingerprint", equalTo(List.of(http)));
        given().get("/api/errors/groups?q=gateway 10.2.3.4").then().body("fingerprint", equalTo(List.of(http)));
        // a bare number would name every group holding one
        given().get("/api/errors/groups?q=503").then().body("$", hasSize(0));
    }

    @Test
    void listFiltersBulkActionsAndTheLiveMessages() {
        String feed = groupOf("FeedError", "feed timed out for venue", "error", "AAPL", "daily-bars");
        String parse = groupOf("ParseError", "bad row in file", "error", "MSFT", "weekly-bars");
        groupOf("DiskError", "disk full", "error", null, "cleanup");

        given().get("/api/errors/groups?q=timed out").then().statusCode(200).body("fingerprint", equalTo(List.of(feed)));
        given().get("/api/errors/groups?q=MSFT").then().body("fingerprint", equalTo(List.of(parse)));
        given().get("/api/errors/groups?q=50%").then().statusCode(200).body("$", hasSize(0));
        given().get("/api/errors/groups?job=weekly-bars").then().body("fingerprint", equalTo(List.of(parse)));
        given().get("/api/errors/groups?state=unresolved&sort=first_seen").then().body("$", hasSize(3));
        publish("FeedError", "feed timed out for venue", Instant.now(), "error", "MSFT", "daily-bars");
        awaitStored();
        given().get("/api/errors/groups/{fp}/detail?hours=2", feed).then().statusCode(200)
                .body("group.fingerprint", equalTo(feed)).body("hours", equalTo(2))
                .body("occurrences.count.sum()", equalTo(2))
                .body("latest", hasSize(2)).body("latest[0].symbol", equalTo("MSFT"))
                .body("latest[0].error_message", equalTo("feed timed out for venue"))
                .body("symbols.name", equalTo(List.of("AAPL", "MSFT"))).body("jobs[0].name", equalTo("daily-bars"))
                .body("jobs[0].count", equalTo(2));
        given().get("/api/errors/groups/{fp}/detail", "nope").then().statusCode(404);
        given().get("/api/errors/groups/{fp}/detail?hours=0", feed).then().statusCode(400).body("error", containsString("hours"));

        told.clear();
        given().contentType(ContentType.JSON).body("{\"action\":\"resolve\",\"filter\":{\"q\":\"bars\"},\"actor\":\"carol\",\"comment\":\"deploy 7\"}")
                .post("/api/errors/groups/bulk").then().statusCode(200).body("changed", equalTo(2));
        given().get("/api/errors/groups?state=resolved").then().body("$", hasSize(2));
        given().get("/api/errors/groups?state=unresolved").then().body("type", equalTo(List.of("DiskError")));
        await().atMost(Duration.ofSeconds(5)).until(() -> told.stream().filter(m -> m.path("type").asText().equals("group")).count() == 2);
        assertThat(told).allSatisfy(m -> {
            assertThat(m.path("action").asText()).isEqualTo("resolved");
            assertThat(m.path("group").path("state").asText()).isEqualTo("resolved");
        });
        given().get("/api/errors/groups/{fp}/activity", feed).then()
                .body("[0].actor", equalTo("carol")).body("[0].comment", equalTo("deploy 7")).body("[0].detail.from", equalTo("unresolved"));
    }

    @Test
    void aMergeSticksForNewErrorsOfEitherGroupAndAnUnmergeGivesTheErrorsBack() {
        String a = groupOf("FeedError", "feed timed out");
        String b = groupOf("FeedTimeout", "feed took too long");

        act(b, "merge", "{\"into\":\"" + a + "\",\"actor\":\"dora\",\"comment\":\"same outage\"}")
                .body("fingerprint", equalTo(a)).body("count", equalTo(2));
        given().get("/api/errors/groups").then().body("fingerprint", equalTo(List.of(a)));
        group(b).body("merged_into", equalTo(a));

        publish("FeedTimeout", "feed took too long", Instant.now(), null); // b's kind of error, after the merge
        publish("FeedError", "feed timed out", Instant.now(), null);
        awaitStored();
        group(a).body("count", equalTo(4));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE fingerprint = $1", b)).isZero();
        given().get("/api/errors/groups/{fp}/activity", a).then().body("[0].action", equalTo("merged"))
                .body("[0].detail.from", equalTo(b)).body("[0].actor", equalTo("dora"));
        // a merged group is acted on through the group it is in
        given().contentType(ContentType.JSON).body("{}").post("/api/errors/groups/{fp}/resolve", b).then()
                .statusCode(400).body("error", containsString("merged into " + a));

        act(a, "ignore", "{}");
        // what the gateway needs to mark live errors of ignored groups: rules, merges, ignored groups
        given().get("/api/errors/groups/index").then().statusCode(200)
                .body("merges." + b, equalTo(a)).body("ignored", equalTo(List.of(a)))
                .body("rules[0].name", equalTo("test-feed-timeouts")).body("rules[0].message_contains", equalTo("Timed Out"));
        act(a, "unresolve", "{}");
        act(b, "unmerge", "{\"actor\":\"dora\"}").body("fingerprint", equalTo(b)).body("count", equalTo(2))
                .body("merged_into", org.hamcrest.Matchers.nullValue());
        group(a).body("count", equalTo(2));
        publish("FeedTimeout", "feed took too long", Instant.now(), null);
        awaitStored();
        group(b).body("count", equalTo(3));
        given().get("/api/errors/groups").then().body("$", hasSize(2));
    }

    @Test
    void aMergeDuringABurstLeavesNoErrorBehindInTheMergedGroup() throws Exception {
        String a = groupOf("FeedError", "feed timed out");
        String b = groupOf("FeedTimeout", "feed took too long");
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        try {
            Future<?> burst = publisher.submit(() -> {
                for (int i = 0; i < 400; i++) {
                    publish("FeedTimeout", "feed took too long", Instant.now(), null);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool,
                    "SELECT count(*) FROM monitor.error_logs WHERE fingerprint = $1", b) > 20);
            act(b, "merge", "{\"into\":\"" + a + "\"}");
            burst.get();
        } finally {
            publisher.shutdownNow();
        }
        awaitStored();

        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE fingerprint = $1", b)).isZero();
        long inA = MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE fingerprint = $1", a);
        assertThat(inA).isEqualTo(402);
        group(a).body("count", equalTo(402));
    }

    @Test
    void aBatchWaitsForAMergeInProgressAndAMergeWaitsForABatchInFlight() throws Exception {
        String a = groupOf("FeedError", "feed timed out");
        String b = groupOf("FeedTimeout", "feed took too long");

        // a merge in progress (the lock as a merge holds it): the next batch is not written until it ends
        var merging = pool.getConnection().await().atMost(Duration.ofSeconds(5));
        var tx = merging.begin().await().atMost(Duration.ofSeconds(5));
        merging.query("SELECT pg_advisory_xact_lock(" + dev.monitoring.monitor.ingest.store.MergeLock.KEY + ")")
                .execute().await().atMost(Duration.ofSeconds(5));
        publish("FeedTimeout", "feed took too long", Instant.now(), null);
        try {
            org.awaitility.Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() ->
                    MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs") == stored - 1);
        } finally {
            tx.commit().await().atMost(Duration.ofSeconds(5));
            merging.close().await().atMost(Duration.ofSeconds(5));
        }
        awaitStored();

        // a batch in flight (the lock as a batch holds it): the merge waits for it
        var batch = pool.getConnection().await().atMost(Duration.ofSeconds(5));
        var batchTx = batch.begin().await().atMost(Duration.ofSeconds(5));
        batch.query("SELECT pg_advisory_xact_lock_shared(" + dev.monitoring.monitor.ingest.store.MergeLock.KEY + ")")
                .execute().await().atMost(Duration.ofSeconds(5));
        ExecutorService admin = Executors.newSingleThreadExecutor();
        try {
            Future<?> merge = admin.submit(() -> act(b, "merge", "{\"into\":\"" + a + "\"}"));
            org.awaitility.Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !merge.isDone());
            batchTx.commit().await().atMost(Duration.ofSeconds(5));
            merge.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            batch.close().await().atMost(Duration.ofSeconds(5));
            admin.shutdownNow();
        }
        group(a).body("count", equalTo(3));
    }

    @Test
    void badMergesAreRefusedWithTheReason() {
        String a = groupOf("FeedError", "feed timed out");
        String b = groupOf("FeedTimeout", "feed took too long");
        given().contentType(ContentType.JSON).body("{\"into\":\"" + a + "\"}").post("/api/errors/groups/{fp}/merge", a).then()
                .statusCode(400).body("error", containsString("itself"));
        given().contentType(ContentType.JSON).body("{\"into\":\"nope\"}").post("/api/errors/groups/{fp}/merge", a).then()
                .statusCode(400).body("error", containsString("no error group nope"));
        given().contentType(ContentType.JSON).body("{}").post("/api/errors/groups/{fp}/merge", a).then()
                .statusCode(400).body("error", containsString("'into'"));
        given().contentType(ContentType.JSON).body("{}").post("/api/errors/groups/{fp}/unmerge", a).then().statusCode(404);
        act(b, "merge", "{\"into\":\"" + a + "\"}");
        given().contentType(ContentType.JSON).body("{\"into\":\"" + b + "\"}").post("/api/errors/groups/{fp}/merge", a).then()
                .statusCode(400).body("error", containsString("merge into that one"));
    }

    @Test
    void badActionsAreRefusedWithTheReason() {
        String fp = groupOf("FeedError", "feed timed out");
        given().contentType(ContentType.JSON).body("{}").post("/api/errors/groups/{fp}/delete", fp).then()
                .statusCode(400).body("error", containsString("resolve, unresolve, ignore, merge or unmerge"));
        given().contentType(ContentType.JSON).body("{\"more_than\":-1}").post("/api/errors/groups/{fp}/ignore", fp).then()
                .statusCode(400).body("error", containsString("more_than"));
        given().contentType(ContentType.JSON).body("{\"until\":\"2020-01-01T00:00:00Z\"}").post("/api/errors/groups/{fp}/ignore", fp).then()
                .statusCode(400).body("error", containsString("future"));
        given().contentType(ContentType.JSON).body("{\"until\":\"tomorrow\"}").post("/api/errors/groups/{fp}/ignore", fp).then()
                .statusCode(400).body("error", containsString("ISO-8601"));
        given().contentType(ContentType.JSON).body("{}").post("/api/errors/groups/{fp}/resolve", "nope").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"action\":\"resolve\",\"filter\":{}}").post("/api/errors/groups/bulk").then()
                .statusCode(400).body("error", containsString("at least one"));
        given().get("/api/errors/groups?state=gone").then().statusCode(400).body("error", containsString("state"));
        given().get("/api/errors/groups?sort=size").then().statusCode(400).body("error", containsString("sort"));
        group(fp).body("state", equalTo("unresolved"));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_group_activity")).isZero();
    }

    private boolean reopened(String fp) {
        return MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_groups WHERE fingerprint = $1 AND state = 'unresolved' "
                + "AND reopened_at IS NOT NULL", fp) == 1;
    }

    private io.restassured.response.ValidatableResponse act(String fp, String action, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/errors/groups/{fp}/{action}", fp, action)
                .then().log().ifValidationFails().statusCode(200);
    }

    private io.restassured.response.ValidatableResponse group(String fp) {
        return given().get("/api/errors/groups/{fp}", fp).then().statusCode(200);
    }

    private String groupOf(String type, String message) {
        return groupOf(type, message, "error");
    }

    private String groupOf(String type, String message, String severity) {
        return groupOf(type, message, severity, null, null);
    }

    /** Publishes one error and returns the fingerprint of its group. */
    private String groupOf(String type, String message, String severity, String symbol, String job) {
        String id = publish(type, message, Instant.now(), severity, symbol, job);
        awaitStored();
        return pool.preparedQuery("SELECT fingerprint FROM monitor.error_logs WHERE error_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).iterator().next().getString(0);
    }

    private void publish(String type, String message, Instant at, String severity) {
        publish(type, message, at, severity == null ? "error" : severity, null, null);
    }

    private String publish(String type, String message, Instant at, String severity, String symbol, String job) {
        String id = UUID.randomUUID().toString();
        String context = "{\"component\":\"pipeline\"" + (symbol == null ? "" : ",\"symbol\":\"" + symbol + "\"")
                + (job == null ? "" : ",\"operation\":\"" + job + "\"") + "}";
        RawPublish.publish(redis, channels.errors(), "{\"error_id\":\"" + id + "\",\"severity\":\"" + severity
                + "\",\"category\":\"network\",\"error_type\":\"" + type + "\",\"error_message\":\"" + message
                + "\",\"timestamp\":\"" + at + "\",\"context\":" + context + "}");
        stored++;
        return id;
    }

    private void awaitStored() {
        long n = stored;
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs") == n);
    }
}
