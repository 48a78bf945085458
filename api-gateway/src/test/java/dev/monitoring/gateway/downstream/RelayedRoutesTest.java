package dev.monitoring.gateway.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every documented route answers through the gateway with the owning service's status and shape. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class RelayedRoutesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/errors/recent?limit=5",
            "/api/errors/recent?limit=5&severity=error&category=pattern&symbol=AAPL&since=2026-01-01T00:00:00Z",
            "/api/errors/recent?limit=0",
            "/api/errors/statistics?hours=24",
            "/api/errors/statistics?hours=9999",
            "/api/errors/health",
            "/api/errors/groups?limit=5",
            "/api/errors/timeline?hours=24&bucket_minutes=60",
            "/api/errors/no-such-error-id",
            "/api/jobs",
            "/api/jobs?problems=true&stale_hours=48",
            "/api/jobs?status=failure",
            "/api/freshness?limit=5",
            "/api/executions?limit=5",
            "/api/scheduler-health",
            "/api/alerts?limit=5",
            "/api/rejected?limit=5",
            "/api/dead-letters?limit=5",
            "/api/dead-letters?limit=0",
            "/api/silences",
            "/api/silences?state=all",
            "/api/silences?state=bogus",
            "/api/notifications?limit=5",
            "/api/notifications?limit=0",
            "/api/notifications?status=sent&receiver=ops-webhook",
            "/api/receivers"})
    void monitorRoutesAnswerWithTheMonitorsShape(String route) {
        assertSameAnswer(RealServices.monitor(), route);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/runs/current",
            "/api/runs?limit=5",
            "/api/runs/no-such-run",
            "/api/jobs/catalog"})
    void runnerRoutesAnswerWithTheRunnersShape(String route) {
        assertSameAnswer(RealServices.runner(), route);
    }

    @Test
    void anAdminStartsAndCancelsARunThroughTheGateway() throws Exception {
        assertThat(RealServices.failure(RunnerClient.SERVICE)).as("runner-service").isNull();
        Response started = given().auth().preemptive().basic("admin", "admin-test")
                .when().post("/api/runs?force=true");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        JsonNode body = MAPPER.readTree(started.asString());
        assertThat(body.path("status").asText()).isEqualTo("started");
        assertThat(body.path("poll_url").asText()).isEqualTo("/api/runs/current");
        String runId = body.path("batch_run_id").asText();
        assertThat(runId).isNotBlank();

        Response cancelled = given().auth().preemptive().basic("admin", "admin-test")
                .when().post("/api/runs/current/cancel");
        Response direct = given().when().post(RealServices.runner().url() + "/api/runs/current/cancel");
        assertThat(cancelled.statusCode()).as(cancelled.asString()).isLessThan(500);
        assertThat(direct.statusCode()).isLessThan(500);

        Response run = given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/runs/" + runId);
        assertThat(run.statusCode()).as(run.asString()).isEqualTo(200);
        assertThat(run.asString()).contains(runId);
    }

    private static void assertSameAnswer(RealServices.ServiceProcess owner, String route) {
        assertThat(owner.failure()).as("the owning service must be up").isNull();
        Response direct = given().when().get(owner.url() + route);
        Response relayed = given().auth().preemptive().basic("viewer", "viewer-test").when().get(route);

        assertThat(relayed.statusCode()).as(route + ": " + relayed.asString()).isEqualTo(direct.statusCode());
        assertThat(relayed.contentType()).startsWith("application/json");
        assertThat(relayed.asString()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(shape(relayed.asString())).as(route).isEqualTo(shape(direct.asString()));
    }

    /** Field names at the top and of the first element of arrays: the shape, not the data that keeps moving. */
    private static String shape(String body) {
        try {
            return shape(MAPPER.readTree(body), 0);
        } catch (Exception e) {
            return "not JSON";
        }
    }

    private static String shape(JsonNode node, int depth) {
        if (node.isArray()) {
            return node.isEmpty() || depth > 1 ? "[]" : "[" + shape(node.get(0), depth + 1) + "]";
        }
        if (node.isObject()) {
            List<String> fields = new ArrayList<>();
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                JsonNode child = node.get(name);
                fields.add(child.isObject() && depth < 1 ? name + "{" + new TreeSet<>(iterable(child.fieldNames())) + "}" : name);
            }
            fields.sort(String::compareTo);
            return "{" + String.join(",", fields) + "}";
        }
        return node.getNodeType().name();
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
