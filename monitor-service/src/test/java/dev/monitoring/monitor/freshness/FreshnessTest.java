package dev.monitoring.monitor.freshness;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionEventType;
import dev.monitoring.monitor.EventPublisher;
import dev.monitoring.monitor.MonitorTables;
import dev.monitoring.monitor.ingest.RedisEventSubscriber;
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
        insertSuccess("fresh-job", 3590, null, null);
        insertSuccess("aging-job", 3610, null, null);
        insertSuccess("late-aging-job", 86390, null, null);
        insertSuccess("stale-job", 86410, null, null);
        insertSuccess("missing-job", null, null, null);
        insertSuccess("own-thresholds-job", 90, 60L, 120L);

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
        EventPublisher.publish(redis, channels.executions(), "{\"event\":\"job.succeeded\",\"job\":\"x\"}");

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

    private void publish(ExecutionEvent event) {
        EventPublisher.publish(redis, channels.executions(), codec.encode(event));
    }

    private void insertSuccess(String job, Integer secondsAgo, Long fresh, Long stale) {
        Instant at = secondsAgo == null ? null : Instant.now().minusSeconds(secondsAgo);
        MonitorTables.execute(pool, """
                INSERT INTO monitor.freshness (job, symbol, timeframe, last_success_at, last_attempt_at, last_status, fresh_seconds, stale_seconds)
                VALUES ($1, 'SYM', '1h', $2, $2, $3, $4, $5)""",
                job, at == null ? null : at.atOffset(ZoneOffset.UTC), at == null ? null : "completed", fresh, stale);
    }
}
