package dev.monitoring.monitor.freshness;

import dev.monitoring.monitor.MonitorTables;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Paging of /api/freshness and /api/jobs, and the job_stale rule's query that reads only the stale rows. */
@QuarkusTest
class FreshnessPagingTest {
    @Inject
    Pool pool;
    @Inject
    FreshnessQueries queries;

    @BeforeEach
    void cleanTables() {
        MonitorTables.truncateAll(pool);
    }

    @Test
    void freshnessPagesAreDisjointAndTogetherTheWholeList() {
        for (int i = 1; i <= 5; i++) {
            insert("stale-job-" + i, "S" + i, Duration.ofDays(2).plusHours(i), null); // global: stale after 24 h
        }
        insert("fresh-job", "F", Duration.ofMinutes(1), null);

        List<String> whole = given().when().get("/api/freshness").then().statusCode(200)
                .body("summary.stale_count", equalTo(5)).body("summary.total_monitored", equalTo(6))
                .extract().jsonPath().getList("by_status.stale.job");
        assertThat(whole).containsExactly("stale-job-5", "stale-job-4", "stale-job-3", "stale-job-2", "stale-job-1");

        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 2) {
            JsonPath page = given().when().get("/api/freshness?limit=2&offset=" + offset).then().statusCode(200)
                    .body("summary.stale_count", equalTo(5)).body("summary.total_monitored", equalTo(6))
                    .extract().jsonPath();
            List<String> jobs = page.getList("by_status.stale.job");
            assertThat(jobs).as("page at %d", offset).hasSizeLessThanOrEqualTo(2).noneMatch(paged::contains);
            paged.addAll(jobs);
            assertThat(page.getList("by_status.fresh.job", String.class))
                    .isEqualTo(offset == 0 ? List.of("fresh-job") : List.of());
        }
        assertThat(paged).isEqualTo(whole);
        assertThat(given().when().get("/api/freshness?offset=9").then().statusCode(200)
                .extract().jsonPath().getList("by_status.stale")).isEmpty();
        given().when().get("/api/freshness?offset=-1").then().statusCode(400).body("parameter", equalTo("offset"));
        given().when().get("/api/freshness?offset=x").then().statusCode(400).body("parameter", equalTo("offset"));
    }

    @Test
    void jobPagesAreDisjointAndTheDefaultAnswerIsTheWholeList() {
        for (String job : List.of("e-job", "a-job", "d-job", "b-job", "c-job")) {
            insert(job, "X", Duration.ofMinutes(5), null);
        }

        List<Map<String, Object>> whole = given().when().get("/api/jobs").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(whole).extracting(m -> m.get("name")).containsExactly("a-job", "b-job", "c-job", "d-job", "e-job");

        List<Object> paged = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 2) {
            List<Object> names = given().when().get("/api/jobs?limit=2&offset=" + offset).then().statusCode(200)
                    .extract().jsonPath().getList("name");
            assertThat(names).as("page at %d", offset).hasSizeLessThanOrEqualTo(2).noneMatch(paged::contains);
            paged.addAll(names);
        }
        assertThat(paged).containsExactly("a-job", "b-job", "c-job", "d-job", "e-job");
        assertThat(given().when().get("/api/jobs?offset=3").then().statusCode(200).extract().jsonPath().getList("name"))
                .containsExactly("d-job", "e-job");
        assertThat(given().when().get("/api/jobs?limit=1&status=success").then().statusCode(200).extract().jsonPath().getList("name"))
                .containsExactly("a-job");
        given().when().get("/api/jobs?limit=0").then().statusCode(400).body("parameter", equalTo("limit"));
        given().when().get("/api/jobs?offset=-3").then().statusCode(400).body("parameter", equalTo("offset"));
    }

    @Test
    void theStaleQueryReturnsExactlyTheRowsClassifiedStale() {
        insert("ordinary-job", "OLD", Duration.ofHours(30), null);    // global 24 h: stale
        insert("ordinary-job", "NEW", Duration.ofHours(2), null);     // aging
        insert("ordinary-job", "NEVER", null, null);                  // missing, not stale
        insert("quick-job", "CFG", Duration.ofSeconds(150), null);    // configured 120 s: stale
        insert("quick-job", "TOLD", Duration.ofSeconds(150), 3600L);  // its events said an hour: aging
        insert("told-job", "TOLD", Duration.ofSeconds(90), 30L, 60L); // its events said half a minute, a minute: stale
        insert("told-job", "ODD", Duration.ofSeconds(90), null, 60L); // stale after a minute, but fresh for an hour: fresh

        List<FreshnessRow> all = queries.all().await().atMost(Duration.ofSeconds(10));
        List<FreshnessRow> stale = queries.stale().await().atMost(Duration.ofSeconds(10));

        assertThat(stale).extracting(r -> r.job() + "/" + r.symbol())
                .containsExactly("ordinary-job/OLD", "quick-job/CFG", "told-job/TOLD");
        assertThat(stale).extracting(r -> r.job() + "/" + r.symbol()).isEqualTo(all.stream()
                .filter(r -> r.status() == FreshnessStatus.STALE).map(r -> r.job() + "/" + r.symbol()).toList());
    }

    private void insert(String job, String symbol, Duration sinceSuccess, Long staleSeconds) {
        insert(job, symbol, sinceSuccess, null, staleSeconds);
    }

    private void insert(String job, String symbol, Duration sinceSuccess, Long freshSeconds, Long staleSeconds) {
        Instant success = sinceSuccess == null ? null : Instant.now().minus(sinceSuccess);
        Instant attempt = success == null ? Instant.now() : success;
        MonitorTables.execute(pool, """
                INSERT INTO monitor.freshness (job, symbol, timeframe, last_success_at, last_attempt_at, last_status, fresh_seconds,
                    stale_seconds)
                VALUES ($1, $2, '1h', $3, $4, $5, $6, $7)""", job, symbol, success == null ? null : success.atOffset(ZoneOffset.UTC),
                attempt.atOffset(ZoneOffset.UTC), success == null ? "failed" : "completed", freshSeconds, staleSeconds);
    }
}
