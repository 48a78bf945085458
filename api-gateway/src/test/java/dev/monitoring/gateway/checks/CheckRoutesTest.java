package dev.monitoring.gateway.checks;

import dev.monitoring.gateway.TestEvents;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    @jakarta.inject.Inject
    io.vertx.core.Vertx vertx;

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
        // 10,000 pings a second offered for 2 s, 100 every 10 ms, over 16 keep-alive connections with pipelining 10 deep
        // (100 deep overflowed a stack in this JVM, where client and gateway share the event loops; a gateway of its
        // own answered 2,000-deep pipelines from a raw socket)
        int perTick = 100;
        int ticks = 200;
        int total = perTick * ticks;
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
                .setKeepAlive(true).setPipelining(true).setPipeliningLimit(10), new PoolOptions().setHttp1MaxSize(16));
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        // sends on the event loop of the timer: what falls behind is sent as soon as answers come, never more than
        // 160 in flight (a queue of thousands in the client's pool is not what a storm of curl processes looks like)
        int[] owed = {0};
        int[] sent = {0};
        AtomicInteger inFlight = new AtomicInteger();
        long start = System.nanoTime();
        vertx.setPeriodic(10, timer -> {
            owed[0] += perTick;
            while (owed[0] > 0 && sent[0] < total && inFlight.get() < 160) {
                owed[0]--;
                sent[0]++;
                inFlight.incrementAndGet();
                http.request(HttpMethod.GET, "/ping/" + stormed).compose(req -> req.send()).onComplete(ar -> {
                    inFlight.decrementAndGet();
                    statuses.computeIfAbsent(ar.succeeded() ? ar.result().statusCode() : -1, k -> new AtomicInteger()).incrementAndGet();
                    if (answered.incrementAndGet() == total) {
                        done.complete(null);
                    }
                });
            }
            if (sent[0] >= total) {
                vertx.cancelTimer(timer);
            }
        });
        // in the middle of the storm, another key is answered as usual
        await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= total / 4);
        given().get("/ping/" + quiet).then().statusCode(200);
        done.get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        http.close();
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        int limited = statuses.getOrDefault(429, new AtomicInteger()).get();
        System.out.printf("PING-STORM %d pings on one key offered at 10,000/s, all answered in %.1f s (%.0f/s): %d recorded, %d answered 429%n",
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
