package dev.monitoring.gateway.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Silences, deliveries and receivers through the gateway, against the real monitor: viewers read, admins change, and
 * the gateway writes created_by itself. The 401/403 cases are the gateway's own and need no monitor.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class NotifyRoutesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "POST, /api/silences",
            "DELETE, /api/silences/0b6f3c2e-8a51-4d0e-9c55-0f3f1d1e7a10",
            "POST, /api/receivers/ops-webhook/test"})
    void aViewerCannotChangeSilencesOrTestReceivers(String method, String route) {
        given()
                .auth().preemptive().basic("viewer", "viewer-test")
                .contentType("application/json")
                .body(silenceBody("rule", "viewer-tried", "mallory"))
        .when()
                .request(method, route)
        .then()
                .statusCode(403)
                .contentType("application/json")
                .body("error", containsString("forbidden"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/silences", "/api/notifications", "/api/receivers"})
    void readingTakesTheViewerRole(String route) {
        given().when().get(route).then().statusCode(401).body("error", equalTo("authentication required"));
        given().auth().preemptive().basic("norole", "norole-test").when().get(route)
                .then().statusCode(403).body("error", containsString("forbidden"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/silences", "/api/silences?state=all", "/api/notifications?limit=5",
            "/api/notifications?status=failed", "/api/receivers"})
    void aViewerReadsSilencesDeliveriesAndReceivers(String route) throws Exception {
        monitorIsUp();
        Response answer = given().auth().preemptive().basic("viewer", "viewer-test").when().get(route);
        assertThat(answer.statusCode()).as(route + ": " + answer.asString()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(json(answer).isArray()).as(route).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "abc"})
    void aLimitOutOfRangeIsTheMonitorsOwn400(String limit) {
        monitorIsUp();
        given().auth().preemptive().basic("viewer", "viewer-test").queryParam("limit", limit)
        .when()
                .get("/api/notifications")
        .then()
                .statusCode(400)
                .contentType("application/json")
                .body("error", containsString("limit"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"text\"", ""})
    void aBodyThatIsNoJsonObjectIsRefusedByTheGateway(String body) {
        given()
                .auth().preemptive().basic("admin", "admin-test")
                .contentType("application/json")
                .body(body)
        .when()
                .post("/api/silences")
        .then()
                .statusCode(400)
                .contentType("application/json")
                .body("error", containsString("JSON"));
    }

    @Test
    void aHugeBodyIsRefusedBeforeItIsParsed() {
        given()
                .auth().preemptive().basic("admin", "admin-test")
                .contentType("application/json")
                .body("{\"comment\":\"" + "x".repeat(SilencesResource.MAX_BODY_CHARS) + "\"}")
        .when()
                .post("/api/silences")
        .then()
                .statusCode(413)
                .body("error", containsString("too large"));
    }

    @Test
    void anAdminCreatesASilenceInHisOwnNameAndExpiresIt() throws Exception {
        monitorIsUp();
        String marker = "gw-" + UUID.randomUUID();
        Response created = given()
                .auth().preemptive().basic("admin", "admin-test")
                .contentType("application/json")
                .body(silenceBody("rule", marker, "mallory"))
        .when()
                .post("/api/silences");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        JsonNode silence = json(created);
        String id = silence.path("id").asText();
        assertThat(id).isNotBlank();
        assertThat(silence.path("created_by").asText()).as("the gateway's user, not the body's").isEqualTo("admin");
        assertThat(silence.path("comment").asText()).isEqualTo("test " + marker);
        assertThat(silence.path("matchers").get(0).path("value").asText()).isEqualTo(marker);
        assertThat(silence.path("state").asText()).isEqualTo("active");
        String location = created.header("Location");
        if (location != null) {
            assertThat(location).as("no internal address of the monitor").startsWith("/").doesNotContain("127.0.0.1");
        }

        Response listed = given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/silences");
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode mine = find(json(listed), id);
        assertThat(mine).as("the new silence is listed").isNotNull();
        assertThat(mine.path("created_by").asText()).isEqualTo("admin");

        Response expired = given().auth().preemptive().basic("admin", "admin-test").when().delete("/api/silences/" + id);
        assertThat(expired.statusCode()).as(expired.asString()).isEqualTo(200);
        assertThat(json(expired).path("state").asText()).isEqualTo("expired");
        assertThat(find(json(given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/silences")), id))
                .as("an expired silence is no longer listed by default").isNull();
        assertThat(find(json(given().auth().preemptive().basic("viewer", "viewer-test").queryParam("state", "expired")
                .when().get("/api/silences")), id)).as("listed with state=expired").isNotNull();
    }

    @Test
    void aCreatedByInTheBodyCannotBeUsedToImpersonateEvenWhenItIsTheOnlyField() throws Exception {
        monitorIsUp();
        // an admin who sends a created_by of another type (an object) still ends up as himself
        String body = "{\"matchers\":[{\"label\":\"rule\",\"value\":\"impersonation\"}],\"ends_at\":\""
                + Instant.now().plus(1, ChronoUnit.HOURS) + "\",\"comment\":\"who am I\",\"created_by\":{\"name\":\"root\"}}";
        Response created = given().auth().preemptive().basic("admin", "admin-test").contentType("application/json").body(body)
                .when().post("/api/silences");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(json(created).path("created_by").asText()).isEqualTo("admin");
        given().auth().preemptive().basic("admin", "admin-test").when().delete("/api/silences/" + json(created).path("id").asText())
                .then().statusCode(200);
    }

    @Test
    void theMonitorsRefusalOfASilenceComesBackWithItsReason() {
        monitorIsUp();
        // no matchers, no end: the monitor's 400 and reason, relayed
        Response refused = given().auth().preemptive().basic("admin", "admin-test").contentType("application/json")
                .body("{\"comment\":\"nothing to match\"}").when().post("/api/silences");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/json");
        assertThat(refused.asString()).contains("\"error\"").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownSilencesAndReceiversAre404() {
        monitorIsUp();
        given().auth().preemptive().basic("admin", "admin-test")
                .when().delete("/api/silences/" + UUID.randomUUID())
                .then().statusCode(404);
        given().auth().preemptive().basic("admin", "admin-test")
                .when().post("/api/receivers/no-such-receiver/test")
                .then().statusCode(404);
    }

    @Test
    void theReceiversAreListedWithoutSecrets() throws Exception {
        monitorIsUp();
        Response answer = given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/receivers");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        JsonNode receivers = json(answer);
        assertThat(receivers.findValuesAsText("name")).contains(RealServices.ACCEPTING_RECEIVER, RealServices.REFUSING_RECEIVER);
        for (JsonNode receiver : receivers) {
            assertThat(receiver.path("type").asText()).isEqualTo("webhook");
            assertThat(receiver.path("target").asText()).startsWith("http://127.0.0.1:").doesNotContain("/accept")
                    .doesNotContain("/refuse");
            assertThat(receiver.has("secret")).isFalse();
        }
    }

    @Test
    void anAdminTestsAReceiverThatAccepts() throws Exception {
        monitorIsUp();
        int before = RealServices.webhookBodies().size();
        Response answer = given().auth().preemptive().basic("admin", "admin-test")
                .when().post("/api/receivers/" + RealServices.ACCEPTING_RECEIVER + "/test");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        JsonNode result = json(answer);
        assertThat(result.path("receiver").asText()).isEqualTo(RealServices.ACCEPTING_RECEIVER);
        assertThat(result.path("type").asText()).isEqualTo("webhook");
        assertThat(result.path("accepted").asBoolean()).isTrue();
        assertThat(result.path("status_code").asInt()).isEqualTo(200);
        assertThat(result.has("duration_ms")).isTrue();
        assertThat(RealServices.webhookBodies()).hasSizeGreaterThan(before);
        assertThat(RealServices.webhookBodies().get(RealServices.webhookBodies().size() - 1)).contains("Test notification");
    }

    @Test
    void aReceiverThatRefusesIsTheMonitorsOwn502NotAnOutage() throws Exception {
        monitorIsUp();
        Response answer = given().auth().preemptive().basic("admin", "admin-test")
                .when().post("/api/receivers/" + RealServices.REFUSING_RECEIVER + "/test");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(502);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode result = json(answer);
        assertThat(result.path("receiver").asText()).isEqualTo(RealServices.REFUSING_RECEIVER);
        assertThat(result.path("accepted").asBoolean()).isFalse();
        assertThat(result.path("status_code").asInt()).isEqualTo(503);
        assertThat(result.has("service")).as("not the gateway's 503 body").isFalse();

        // and the ledger has it, failed, for anyone to see
        Response ledger = given().auth().preemptive().basic("viewer", "viewer-test")
                .queryParam("receiver", RealServices.REFUSING_RECEIVER).queryParam("status", "failed")
                .when().get("/api/notifications");
        assertThat(ledger.statusCode()).as(ledger.asString()).isEqualTo(200);
        JsonNode rows = json(ledger);
        assertThat(rows.size()).isGreaterThanOrEqualTo(1);
        assertThat(rows.get(0).path("kind").asText()).isEqualTo("test");
        assertThat(rows.get(0).path("status").asText()).isEqualTo("failed");
    }

    private static void monitorIsUp() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
    }

    static String silenceBody(String label, String value, String createdBy) {
        return "{\"matchers\":[{\"label\":\"" + label + "\",\"value\":\"" + value + "\",\"regex\":false}],"
                + "\"ends_at\":\"" + Instant.now().plus(1, ChronoUnit.HOURS) + "\","
                + "\"comment\":\"test " + value + "\",\"created_by\":\"" + createdBy + "\"}";
    }

    private static JsonNode json(Response response) throws Exception {
        return MAPPER.readTree(response.asString());
    }

    private static JsonNode find(JsonNode silences, String id) {
        for (JsonNode s : silences) {
            if (id.equals(s.path("id").asText())) {
                return s;
            }
        }
        return null;
    }
}
