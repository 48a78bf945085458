package dev.monitoring.monitor.errors;

import dev.monitoring.monitor.MonitorTables;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
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

    private void addCount(String severity, long n) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_counts (bucket, severity, category, count) VALUES (date_trunc('minute', now()), $1, 'unknown', $2)
                ON CONFLICT (bucket, severity, category) DO UPDATE SET count = monitor.error_counts.count + excluded.count""",
                severity, n);
    }
}
