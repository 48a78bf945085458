package dev.monitoring.gateway.checks;

import dev.monitoring.gateway.TestEvents;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Checks through the gateway against the real monitor: admins make them, viewers read them without the ping key, and
 * a crontab's {@code curl} and {@code redis-cli} lines signal them without a login.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class CheckRoutesTest {
    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void monitorIsUp() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
    }

    @Test
    void adminsMakeChecksWithAPingUrlAndViewersSeeThemWithoutTheKey() {
        String name = TestEvents.marker("chk");
        JsonPath made = admin().body("{\"name\":\"" + name + "\",\"schedule\":\"0 6 * * *\",\"timezone\":\"Europe/Berlin\"}")
                .post("/api/checks").then().statusCode(201).extract().jsonPath();
        String key = made.getString("ping_key");
        assertThat(made.getString("ping_url")).isEqualTo(base.toString().replaceAll("/$", "") + "/ping/" + key);
        assertThat(made.getString("state")).isEqualTo("new");

        viewer().get("/api/checks/" + name).then().statusCode(200)
                .body("name", equalTo(name)).body("ping_key", nullValue()).body("ping_url", nullValue());
        viewer().body("{\"name\":\"x\",\"period_seconds\":60}").post("/api/checks").then().statusCode(403);
        viewer().post("/api/checks/" + name + "/pause").then().statusCode(403);
        given().get("/api/checks").then().statusCode(401);
        admin().body("{\"name\":\"" + name + "\",\"period_seconds\":0}").post("/api/checks").then().statusCode(400)
                .body("parameter", equalTo("period_seconds"));

        String badge = made.getString("badge_key");
        assertThat(badge).isNotEqualTo(key);
        String svg = given().get("/badge/" + badge + ".svg").then().statusCode(200).contentType("image/svg+xml")
                .extract().asString();
        assertThat(svg).startsWith("<svg").contains(">" + name + "</text>").contains(">new</text>").doesNotContain(key);
        given().get("/badge/" + key + ".svg").then().statusCode(404);

        admin().post("/api/checks/" + name + "/pause").then().statusCode(200).body("state", equalTo("paused"));
        assertThat(given().get("/badge/" + badge + ".svg").then().statusCode(200).extract().asString()).contains(">paused</text>");
        admin().delete("/api/checks/" + name).then().statusCode(204);
        viewer().get("/api/checks/" + name).then().statusCode(404);
    }

    @Test
    void aCurlPingAndARedisCliExecutionEventFromACrontabGiveTheSameResult() throws Exception {
        String viaCurl = TestEvents.marker("curl-job");
        String viaRedis = TestEvents.marker("redis-job");
        String key = create(viaCurl);
        create(viaRedis);

        // the README's crontab lines
        assertThat(run("curl", "-fsS", "-m", "10", "--retry", "3", base + "ping/" + key + "/start")).isEqualTo("OK\n");
        assertThat(run("redis-cli", "PUBLISH", RealServices.EXECUTIONS,
                "{\"event\":\"job.started\",\"job\":\"" + viaRedis + "\",\"execution_id\":\"run-1\"}")).isNotEqualTo("0\n");
        awaitState(viaCurl, "running");
        awaitState(viaRedis, "running");

        assertThat(run("curl", "-fsS", "-m", "10", "--data-raw", "exported 1200 rows", base + "ping/" + key)).isEqualTo("OK\n");
        run("redis-cli", "PUBLISH", RealServices.EXECUTIONS,
                "{\"event\":\"job.succeeded\",\"job\":\"" + viaRedis + "\",\"execution_id\":\"run-1\"}");
        for (String check : List.of(viaCurl, viaRedis)) {
            awaitState(check, "up");
            viewer().get("/api/checks/" + check).then().body("last_outcome", equalTo("success"));
        }

        assertThat(run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "ping/" + key + "/2")).isEqualTo("200");
        awaitState(viaCurl, "down");
        viewer().get("/api/checks/" + viaCurl).then().body("reason", equalTo("last run failed with exit code 2"));
    }

    @Test
    void unknownKeysAndSignalsAreRefusedInPlainText() {
        given().get("/ping/no-such-key").then().statusCode(404).contentType("text/plain")
                .body(equalTo("not found: no check has this ping key\n"));
        String key = create(TestEvents.marker("sig"));
        given().get("/ping/" + key + "/999").then().statusCode(400);
        given().body("x".repeat(50_000)).post("/ping/" + key + "/fail").then().statusCode(200);
    }

    @Test
    void aStormOfPingsOnOneKeyIsRateLimitedWhileOtherKeysGoOn() throws Exception {
        String stormedCheck = TestEvents.marker("storm");
        String quietCheck = TestEvents.marker("quiet");
        String stormed = create(stormedCheck);
        String quiet = create(quietCheck);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int total = 3_000;
        Semaphore inFlight = new Semaphore(64);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            inFlight.acquire();
            all.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("ping/" + stormed)).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        statuses.computeIfAbsent(e == null ? r.statusCode() : -1, s -> new AtomicInteger()).incrementAndGet();
                    }));
            if (i == total / 2) {
                // in the middle of the storm, another key is answered as usual
                given().get("/ping/" + quiet).then().statusCode(200);
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        int limited = statuses.getOrDefault(429, new AtomicInteger()).get();
        System.out.printf("PING-STORM %d pings on one key in %.1f s (%.0f/s): %d recorded, %d answered 429%n",
                total, seconds, total / seconds, ok, limited);

        assertThat(ok + limited).as("every ping answered 200 or 429: " + statuses).isEqualTo(total);
        assertThat(ok).as("the burst (20) plus 5 a second").isBetween(20, 20 + (int) Math.ceil(5 * seconds) + 1);
        awaitState(quietCheck, "up");
        awaitState(stormedCheck, "up");
    }

    private String create(String name) {
        return admin().body("{\"name\":\"" + name + "\",\"period_seconds\":3600}").post("/api/checks").then().statusCode(201)
                .extract().jsonPath().getString("ping_key");
    }

    private static void awaitState(String check, String state) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(viewer().get("/api/checks/" + check).then().statusCode(200).extract().jsonPath().getString("state"))
                        .as(check).isEqualTo(state));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin-test").contentType("application/json");
    }

    private static RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer-test").contentType("application/json");
    }
}
