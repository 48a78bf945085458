package dev.monitoring.monitor.freshness;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.monitor.RawPublish;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class FreshnessTest {
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

    @BeforeEach
    void cleanTables() {
        MonitorTables.truncateAll(pool);
        await().atMost(Duration.ofSeconds(10)).until(subscriber::subscribed);
    }

    @Test
    void failureAfterSuccessKeepsLastSuccessAndShowsTheJobAsFailed() {
        Instant success = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        publish(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, "exec-1", "daily-bars").symbol("AAPL").timeframe("daily")
                .completedAt(success).recordsProcessed(250L).timestamp(success).build());
        publish(ExecutionEvent.job(ExecutionEventType.JOB_FAILED, "exec-2", "daily-bars").symbol("AAPL").timeframe("daily")
                .completedAt(Instant.now()).errorMessage("upstream timeout").build());

        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness WHERE last_status = 'failed'") == 1);
        var row = pool.preparedQuery("SELECT last_success_at, data_point_count FROM monitor.freshness WHERE job = $1")
                .execute(Tuple.of("daily-bars")).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(row.getOffsetDateTime("last_success_at").toInstant()).isEqualTo(success);
        assertThat(row.getLong("data_point_count")).isEqualTo(250);

        given()
                .when().get("/api/jobs?problems=true")
                .then()
                    .statusCode(200)
                    .body("find { it.name == 'daily-bars' }.status", equalTo("failure"))
                    .body("find { it.name == 'daily-bars' }.error_message", equalTo("upstream timeout"))
                    .body("find { it.name == 'daily-bars' }.hours_since_update", equalTo(0.2f))
                    .body("find { it.name == 'daily-bars' }.is_stale", equalTo(false));
        given().when().get("/api/jobs?status=failure").then().statusCode(200).body("name", hasItem("daily-bars"));
        given().when().get("/api/jobs?status=success").then().statusCode(200).body("name", not(hasItem("daily-bars")));
        given()
                .when().get("/api/freshness")
                .then()
                    .statusCode(200)
                    .body("summary.fresh_count", equalTo(1))
                    .body("by_status.fresh[0].symbol", equalTo("AAPL"))
                    .body("by_status.fresh[0].data_point_count", equalTo(250));
        given()
                .when().get("/api/scheduler-health")
                .then()
                    .statusCode(200)
                    .body("status", equalTo("degraded"))
                    .body("recent_failures[0].symbol", equalTo("AAPL"))
                    .body("recent_failures[0].error", equalTo("upstream timeout"))
                    .body("total_symbols_monitored", equalTo(1));
    }

    @Test
    void statusesAtTheirBoundaries() {
        // five minutes either side of each threshold: a slow first request on a busy machine cannot move a row across
        insertSuccess("fresh-job", 3300, null, null);
        insertSuccess("aging-job", 3900, null, null);
        insertSuccess("late-aging-job", 86100, null, null);
        insertSuccess("stale-job", 86700, null, null);
        insertSuccess("missing-job", null, null, null);
        insertSuccess("own-thresholds-job", 500, 60L, 800L);

        given()
                .when().get("/api/freshness")
                .then()
                    .statusCode(200)
                    .body("summary.fresh_count", equalTo(1))
                    .body("summary.aging_count", equalTo(3))
                    .body("summary.stale_count", equalTo(1))
                    .body("summary.missing_count", equalTo(1))
                    .body("summary.total_monitored", equalTo(6))
                    .body("by_status.fresh.job", equalTo(java.util.List.of("fresh-job")))
                    .body("by_status.stale.job", equalTo(java.util.List.of("stale-job")))
                    .body("by_status.missing[0].staleness_seconds", equalTo(null))
                    .body("by_status.aging.job", equalTo(java.util.List.of("late-aging-job", "aging-job", "own-thresholds-job")));
        given()
                .when().get("/api/jobs?problems=true&stale_hours=24")
                .then()
                    .statusCode(200)
                    .body("name", equalTo(java.util.List.of("missing-job", "stale-job")));
        given()
                .when().get("/api/jobs?problems=true&stale_hours=1")
                .then()
                    .statusCode(200)
                    .body("name", equalTo(java.util.List.of("aging-job", "late-aging-job", "missing-job", "stale-job")));
    }

    @Test
    void untargetedJobShowsNoSymbolOrTimeframe() {
        publish(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, "exec-untargeted", "disk-report").build());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .when().get("/api/freshness")
                .then()
                    .statusCode(200)
                    .body("by_status.fresh.job", equalTo(java.util.List.of("disk-report")))
                    .body("by_status.fresh[0].symbol", nullValue())
                    .body("by_status.fresh[0].timeframe", nullValue()));
    }

    @Test
    void batchRunCarriesItsTotals() {
        Instant start = Instant.now().minusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
        publish(ExecutionEvent.run(ExecutionEventType.RUN_STARTED, "run-1").totalJobs(4).startedAt(start).build());
        publish(ExecutionEvent.run(ExecutionEventType.RUN_COMPLETED, "run-1").totalJobs(4).completedJobs(3).failedJobs(1)
                .recordsProcessed(1000L).durationSeconds(12.5).completedAt(start.plusMillis(12_500)).build());

        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions WHERE status = 'completed'") == 1);
        given()
                .when().get("/api/executions?limit=5")
                .then()
                    .statusCode(200)
                    .body("executions.size()", equalTo(1))
                    .body("executions[0].execution_id", equalTo("run-1"))
                    .body("executions[0].status", equalTo("completed"))
                    .body("executions[0].started_at", equalTo(start.toString()))
                    .body("executions[0].total_symbols", equalTo(4))
                    .body("executions[0].successful_symbols", equalTo(3))
                    .body("executions[0].failed_symbols", equalTo(1))
                    .body("executions[0].total_records_processed", equalTo(1000))
                    .body("executions[0].duration_seconds", equalTo(12.5f))
                    .body("executions[0].success_rate", equalTo(75.0f));
        given().when().get("/api/scheduler-health").then().body("last_execution.execution_id", equalTo("run-1"));
    }

    @Test
    void invalidExecutionEventIsRejected() {
        RawPublish.publish(redis, channels.executions(), "{\"event\":\"job.succeeded\",\"job\":\"x\"}");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.rejected_events WHERE channel = $1 AND reason LIKE $2",
                        channels.executions(), "missing field 'execution_id'%") == 1);
    }

    @Test
    void badParametersAreRejectedByName() {
        given().when().get("/api/jobs?stale_hours=abc").then().statusCode(400).body("parameter", equalTo("stale_hours"));
        given().when().get("/api/jobs?status=weird").then().statusCode(400).body("parameter", equalTo("status"));
        given().when().get("/api/freshness?limit=0").then().statusCode(400).body("parameter", equalTo("limit"));
        given().when().get("/api/executions?limit=1001").then().statusCode(400).body("parameter", equalTo("limit"));
    }

    @Test
    void anOlderEventArrivingLateNeverOverridesANewerOne() {
        Instant newer = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        Instant older = newer.minus(2, ChronoUnit.HOURS);
        publish(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, "late-2", "out-of-order").completedAt(newer).timestamp(newer)
                .recordsProcessed(10L).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness") == 1);
        // a failure and a success from two hours before, delivered late (a replay, a slow replica)
        publish(ExecutionEvent.job(ExecutionEventType.JOB_FAILED, "late-1", "out-of-order").completedAt(older).timestamp(older)
                .errorMessage("old failure").build());
        publish(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, "late-0", "out-of-order").completedAt(older.minusSeconds(60))
                .timestamp(older.minusSeconds(60)).recordsProcessed(3L).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions") == 3);

        given()
                .when().get("/api/freshness")
                .then()
                    .statusCode(200)
                    .body("by_status.fresh.job", equalTo(java.util.List.of("out-of-order")));
        given().when().get("/api/jobs").then().statusCode(200).body("find { it.name == 'out-of-order' }.status", equalTo("success"));
        var row = pool.preparedQuery("SELECT last_success_at, last_attempt_at, last_status, last_error_message, data_point_count "
                        + "FROM monitor.freshness WHERE job = $1")
                .execute(Tuple.of("out-of-order")).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(row.getString("last_status")).isEqualTo("completed");
        assertThat(row.getString("last_error_message")).isNull();
        assertThat(row.getLong("data_point_count")).isEqualTo(10L);
        assertThat(row.getOffsetDateTime("last_success_at").toInstant()).isEqualTo(newer);
        assertThat(row.getOffsetDateTime("last_attempt_at").toInstant()).isEqualTo(newer);
    }

    @Test
    void aSuccessDatedAYearAheadCountsFromWhenItArrivedSoTheJobStillGoesStale() {
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant aYearAhead = sent.plus(365, ChronoUnit.DAYS);
        publish(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, "ahead-1", "clock-ahead").completedAt(aYearAhead)
                .timestamp(aYearAhead).recordsProcessed(1L).freshSeconds(1L).staleSeconds(2L).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness") == 1);

        var row = pool.preparedQuery("SELECT f.last_success_at, x.completed_at FROM monitor.freshness f "
                        + "JOIN monitor.executions x ON x.execution_id = 'ahead-1' WHERE f.job = $1")
                .execute(Tuple.of("clock-ahead")).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(row.getOffsetDateTime("last_success_at").toInstant()).isBetween(sent.minusSeconds(1), Instant.now());
        assertThat(row.getOffsetDateTime("completed_at").toInstant()).isBetween(sent.minusSeconds(1), Instant.now());
        // without the correction it would be fresh for a year, and so would every later success
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/api/freshness").then()
                .statusCode(200).body("by_status.stale.job", equalTo(java.util.List.of("clock-ahead"))));
    }

    @Test
    void aJobsOwnThresholdsOverrideTheGlobalOnesAndItsEventsOverrideBoth() {
        insertSuccess("quick-job", 150, null, null);       // configured: stale after 120 s
        insertSuccess("ordinary-job", 150, null, null);    // global: fresh for an hour
        insertSuccess("quick-job-told", 150, null, 3600L); // its events said: stale after an hour
        MonitorTables.execute(pool, "UPDATE monitor.freshness SET job = 'quick-job', symbol = 'X' WHERE job = 'quick-job-told'");

        given()
                .when().get("/api/freshness")
                .then()
                    .statusCode(200)
                    .body("by_status.stale.job", equalTo(java.util.List.of("quick-job")))
                    .body("by_status.aging.findAll { it.job == 'quick-job' }.symbol", equalTo(java.util.List.of("X")))
                    .body("by_status.fresh.job", equalTo(java.util.List.of("ordinary-job")));
    }

    @Test
    void aStartedJobIsShownAsRunningUntilItFinishes() {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish(ExecutionEvent.job(ExecutionEventType.JOB_STARTED, "run-1", "long-job").symbol("AAPL").timestamp(started).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness") == 1);

        given().when().get("/api/jobs?status=running").then().statusCode(200).body("name", hasItem("long-job"));
        given().when().get("/api/jobs").then().statusCode(200).body("find { it.name == 'long-job' }.status", equalTo("running"));

        publish(ExecutionEvent.job(ExecutionEventType.JOB_SUCCEEDED, "run-1", "long-job").symbol("AAPL")
                .completedAt(started.plusSeconds(5)).timestamp(started.plusSeconds(5)).build());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                MonitorTables.count(pool, "SELECT count(*) FROM monitor.freshness WHERE last_status = 'completed'") == 1);
        given().when().get("/api/jobs").then().statusCode(200).body("find { it.name == 'long-job' }.status", equalTo("success"));
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions WHERE status = 'completed' AND started_at IS NOT NULL"))
                .as("one execution, started then completed").isEqualTo(1);
    }

    private void publish(ExecutionEvent event) {
        RawPublish.publish(redis, channels.executions(), codec.encode(event));
    }

    private void insertSuccess(String job, Integer secondsAgo, Long fresh, Long stale) {
        Instant at = secondsAgo == null ? null : Instant.now().minusSeconds(secondsAgo);
        MonitorTables.execute(pool, """
                INSERT INTO monitor.freshness (job, symbol, timeframe, last_success_at, last_attempt_at, last_status, fresh_seconds, stale_seconds)
                VALUES ($1, 'SYM', '1h', $2, $2, $3, $4, $5)""",
                job, at == null ? null : at.atOffset(ZoneOffset.UTC), at == null ? null : "completed", fresh, stale);
    }
}
