package dev.monitoring.gateway.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.gateway.downstream.RunnerClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's command line is admin-only: through the gateway a viewer's catalog holds no command (nor environment), an
 * admin's does. Against the real runner with its sample jobs.yml, whose {@code disk-report} is a command job.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class CatalogDisclosureTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COMMAND_JOB = "disk-report";

    @Test
    void aViewerGetsNoCommandLine() throws Exception {
        assertThat(RealServices.failure(RunnerClient.SERVICE)).as("runner-service").isNull();
        Response viewer = given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/jobs/catalog");

        assertThat(viewer.statusCode()).as(viewer.asString()).isEqualTo(200);
        JsonNode jobs = MAPPER.readTree(viewer.asString()).path("jobs");
        assertThat(names(jobs)).contains(COMMAND_JOB);
        for (JsonNode job : jobs) {
            assertThat(job.has("command")).as(job.path("name").asText()).isFalse();
            assertThat(job.has("env")).as(job.path("name").asText()).isFalse();
        }
        assertThat(viewer.asString()).doesNotContain("records_processed=1").doesNotContain("du -sk");
        // the runner's own default answer has none either: only the admin detail has it
        assertThat(given().when().get(RealServices.runner().url() + "/api/jobs/catalog").asString()).doesNotContain("du -sk");
    }

    @Test
    void anAdminGetsTheCommandLineAndEveryOtherFieldAsAViewerDoes() throws Exception {
        assertThat(RealServices.failure(RunnerClient.SERVICE)).as("runner-service").isNull();
        Response admin = given().auth().preemptive().basic("admin", "admin-test").when().get("/api/jobs/catalog");
        Response viewer = given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/jobs/catalog");

        assertThat(admin.statusCode()).as(admin.asString()).isEqualTo(200);
        JsonNode adminJobs = MAPPER.readTree(admin.asString()).path("jobs");
        JsonNode viewerJobs = MAPPER.readTree(viewer.asString()).path("jobs");
        assertThat(names(adminJobs)).isEqualTo(names(viewerJobs));
        for (int i = 0; i < adminJobs.size(); i++) {
            JsonNode a = adminJobs.get(i);
            List<String> adminFields = fields(a);
            adminFields.removeAll(List.of("command", "env"));
            assertThat(adminFields).as(a.path("name").asText()).isEqualTo(fields(viewerJobs.get(i)));
            if (a.path("name").asText().equals(COMMAND_JOB)) {
                assertThat(a.path("command").isArray()).isTrue();
                assertThat(a.path("command").get(0).asText()).isEqualTo("sh");
                assertThat(a.path("command").toString()).contains("records_processed=1");
                assertThat(a.path("env").isObject()).isTrue();
            } else {
                assertThat(a.has("command")).as(a.path("name").asText() + " is no command job").isFalse();
            }
        }
    }

    private static List<String> names(JsonNode jobs) {
        List<String> names = new ArrayList<>();
        jobs.forEach(j -> names.add(j.path("name").asText()));
        return names;
    }

    private static List<String> fields(JsonNode job) {
        List<String> fields = new ArrayList<>();
        job.fieldNames().forEachRemaining(fields::add);
        return fields;
    }
}
