package dev.monitoring.monitor.errors;

import dev.monitoring.monitor.MonitorTables;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class ErrorResourceTest {
    @Inject
    Pool pool;

    @BeforeEach
    void cleanTables() {
        MonitorTables.truncateAll(pool);
    }

    @Test
    void recentFiltersBySeverityCategorySymbolAndSince() {
        insertError("e-old", "error", "pattern", "AAPL", "2024-01-01T12:00:00Z");
        insertError("e-new", "critical", "database", "MSFT", "2026-01-01T12:00:00Z");

        given().when().get("/api/errors/recent?severity=critical").then().statusCode(200).body("id", equalTo(List.of("e-new")));
        given().when().get("/api/errors/recent?category=pattern").then().statusCode(200).body("id", equalTo(List.of("e-old")));
        given().when().get("/api/errors/recent?symbol=AAPL").then().statusCode(200).body("id", equalTo(List.of("e-old")));
        given().when().get("/api/errors/recent?since=2025-06-01T00:00:00Z").then().statusCode(200).body("id", equalTo(List.of("e-new")));
        given().when().get("/api/errors/recent?limit=1").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void healthIsCriticalWithACriticalErrorAndDegradedAboveTenErrors() {
        given().when().get("/api/errors/health").then().statusCode(200)
                .body("status", equalTo("operational")).body("health", equalTo("green")).body("errors", equalTo(0));

        addCount("error", 11);
        given().when().get("/api/errors/health").then()
                .body("status", equalTo("degraded")).body("health", equalTo("yellow")).body("errors", equalTo(11));

        addCount("critical", 1);
        given().when().get("/api/errors/health").then()
                .body("status", equalTo("critical")).body("health", equalTo("red")).body("criticalErrors", equalTo(1));
    }

    @Test
    void timelineCountsEverySeverityPerBucket() {
        addCount("warning", 3);
        addCount("error", 2);

        given()
                .when().get("/api/errors/timeline?hours=2&bucket_minutes=30")
                .then()
                    .statusCode(200)
                    .body("timeRange", equalTo("last_2_hours"))
                    .body("bucketMinutes", equalTo(30))
                    .body("buckets[-1].warning", equalTo(3))
                    .body("buckets[-1].error", equalTo(2))
                    .body("buckets[0].warning", equalTo(0));
    }

    @Test
    void statisticsAndTheHourlyTimelineCountWholeHoursAndTheMinutesOfTheFirstPartialHour() {
        // counts as the writer leaves them, per minute and per UTC hour
        countAt(121, "warning", 5); // before the window of the last 2 hours
        for (int minutesAgo = 119; minutesAgo > 60; minutesAgo--) {
            countAt(minutesAgo, "error", 1); // the first ones in the window's partial first hour, the rest in whole hours
        }
        countAt(30, "critical", 2);

        given()
                .when().get("/api/errors/statistics?hours=2")
                .then()
                    .statusCode(200)
                    .body("bySeverity.warning", equalTo(0))
                    .body("bySeverity.error", equalTo(59))
                    .body("bySeverity.critical", equalTo(2))
                    .body("total", equalTo(61));
        // hour-sized buckets (the hourly counts) and half-hour ones (the minutes) count the same errors
        for (int minutes : new int[] {60, 30}) {
            List<Map<String, Integer>> buckets = given()
                    .when().get("/api/errors/timeline?hours=3&bucket_minutes=" + minutes)
                    .then().statusCode(200).extract().jsonPath().getList("buckets");
            assertThat(buckets.stream().mapToInt(b -> b.get("warning") + b.get("error") + b.get("critical")).sum())
                    .as("%d-minute buckets", minutes).isEqualTo(66);
        }
    }

    @Test
    void badParametersAnswer400NamingTheParameterWithoutStackTrace() {
        badParameter("/api/errors/recent?limit=0", "limit");
        badParameter("/api/errors/recent?limit=1001", "limit");
        badParameter("/api/errors/recent?limit=ten", "limit");
        badParameter("/api/errors/recent?severity=fatal", "severity");
        badParameter("/api/errors/recent?category=cosmic", "category");
        badParameter("/api/errors/recent?since=yesterday", "since");
        badParameter("/api/errors/statistics?hours=0", "hours");
        badParameter("/api/errors/statistics?hours=721", "hours");
        badParameter("/api/errors/timeline?bucket_minutes=0", "bucket_minutes");
        badParameter("/api/errors/groups?limit=-1", "limit");
        badParameter("/api/alerts?limit=5000", "limit");
        badParameter("/api/rejected?limit=0", "limit");
        given().when().get("/api/errors/no-such-id").then().statusCode(404).body("error", containsString("no-such-id"));
    }

    private static void badParameter(String url, String parameter) {
        given()
                .when().get(url)
                .then()
                    .statusCode(400)
                    .body("parameter", equalTo(parameter))
                    .body("error", containsString(parameter))
                    .body(not(containsString("Exception")));
    }

    private void insertError(String id, String severity, String category, String symbol, String occurredAt) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_logs (error_id, error_message, severity, category, symbol, fingerprint, occurred_at)
                VALUES ($1, 'm', $2, $3, $4, 'fp', $5)""", id, severity, category, symbol,
                java.time.OffsetDateTime.parse(occurredAt));
    }

    private void countAt(int minutesAgo, String severity, long n) {
        for (String sql : List.of("""
                INSERT INTO monitor.error_counts (bucket, severity, category, count)
                VALUES (date_trunc('minute', now()) - make_interval(mins => $1), $2, 'unknown', $3)
                ON CONFLICT (bucket, severity, category) DO UPDATE SET count = monitor.error_counts.count + excluded.count""", """
                INSERT INTO monitor.error_counts_hourly (hour, severity, category, count)
                VALUES (date_trunc('hour', date_trunc('minute', now()) - make_interval(mins => $1), 'UTC'), $2, 'unknown', $3)
                ON CONFLICT (hour, severity, category) DO UPDATE SET count = monitor.error_counts_hourly.count + excluded.count""")) {
            MonitorTables.execute(pool, sql, minutesAgo, severity, n);
        }
    }

    private void addCount(String severity, long n) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_counts (bucket, severity, category, count) VALUES (date_trunc('minute', now()), $1, 'unknown', $2)
                ON CONFLICT (bucket, severity, category) DO UPDATE SET count = monitor.error_counts.count + excluded.count""",
                severity, n);
    }
}
