package dev.monitoring.gateway.docs;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

/** The public API is documented, with the response shapes as schemas. */
@QuarkusTest
class OpenApiTest {

    @Test
    void documentsThePublicRoutesAndTheirShapes() {
        given()
                .auth().preemptive().basic("viewer", "viewer-test")
                .accept("application/json")
        .when()
                .get("/q/openapi")
        .then()
                .statusCode(200)
                .body("paths", hasKey("/api/errors/recent"))
                .body("paths", hasKey("/api/runs"))
                .body("paths", hasKey("/api/jobs/catalog"))
                .body("paths", hasKey("/api/health"))
                .body("paths", hasKey("/api/me"))
                .body("paths.'/api/errors/recent'.get.responses.'200'.content.'application/json'.schema.items.'$ref'",
                        equalTo("#/components/schemas/ErrorSummary"))
                .body("paths.'/api/errors/recent'.get.responses.'503'", notNullValue())
                .body("components.schemas", hasKey("ServiceUnavailable"))
                .body("components.schemas", hasKey("SystemHealth"))
                .body("components.schemas", hasKey("ErrorHealth"))
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("basic"));
    }

    @Test
    void documentsSilencesDeliveriesAndReceivers() {
        given()
                .auth().preemptive().basic("viewer", "viewer-test")
                .accept("application/json")
        .when()
                .get("/q/openapi")
        .then()
                .statusCode(200)
                .body("paths", hasKey("/api/silences"))
                .body("paths", hasKey("/api/silences/{id}"))
                .body("paths", hasKey("/api/notifications"))
                .body("paths", hasKey("/api/receivers"))
                .body("paths", hasKey("/api/receivers/{name}/test"))
                .body("paths.'/api/silences'.post.requestBody.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/SilenceRequest"))
                .body("paths.'/api/silences'.post.responses.'201'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/Silence"))
                .body("paths.'/api/silences'.get.responses.'200'.content.'application/json'.schema.items.'$ref'",
                        equalTo("#/components/schemas/Silence"))
                .body("paths.'/api/silences/{id}'.delete.responses.'404'", notNullValue())
                .body("paths.'/api/notifications'.get.responses.'200'.content.'application/json'.schema.items.'$ref'",
                        equalTo("#/components/schemas/Notification"))
                .body("paths.'/api/receivers/{name}/test'.post.responses.'502'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/ReceiverTestResult"))
                .body("paths.'/api/receivers'.get.responses.'503'", notNullValue())
                .body("components.schemas", hasKey("SilenceMatcher"))
                .body("components.schemas", hasKey("Receiver"));
    }

    /** Every answer relayed from the monitor or the runner is described by the record of the shared contract it is. */
    @Test
    void documentsEveryRelayedAnswerWithTheSharedContract() {
        var body = given().auth().preemptive().basic("viewer", "viewer-test").accept("application/json")
                .when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        java.util.Map<String, String> one = java.util.Map.of(
                "'/api/errors/timeline'.get", "ErrorTimeline", "'/api/errors/{error_id}'.get", "ErrorDetail",
                "'/api/freshness'.get", "FreshnessReport", "'/api/executions'.get", "Executions",
                "'/api/scheduler-health'.get", "SchedulerHealth", "'/api/runs/{batch_run_id}'.get", "RunDetail",
                "'/api/runs'.get", "RunHistory", "'/api/jobs/catalog'.get", "JobCatalog", "'/api/runs/current/cancel'.post", "RunCancel");
        one.forEach((op, schema) -> org.assertj.core.api.Assertions.assertThat(body.getString(
                "paths." + op + ".responses.'200'.content.'application/json'.schema.'$ref'")).as(op)
                .isEqualTo("#/components/schemas/" + schema));
        java.util.Map<String, String> lists = java.util.Map.of("'/api/errors/groups'.get", "ErrorGroup", "'/api/jobs'.get", "JobStatus",
                "'/api/alerts'.get", "StoredAlert", "'/api/rejected'.get", "RejectedEvent", "'/api/dead-letters'.get", "DeadLetter");
        lists.forEach((op, schema) -> org.assertj.core.api.Assertions.assertThat(body.getString(
                "paths." + op + ".responses.'200'.content.'application/json'.schema.items.'$ref'")).as(op)
                .isEqualTo("#/components/schemas/" + schema));
        org.assertj.core.api.Assertions.assertThat(body.getString(
                "paths.'/api/runs'.post.responses.'202'.content.'application/json'.schema.'$ref'"))
                .isEqualTo("#/components/schemas/RunStarted");
        org.assertj.core.api.Assertions.assertThat(body.getList(
                "paths.'/api/runs/current'.get.responses.'200'.content.'application/json'.schema.oneOf.'$ref'", String.class))
                .containsExactlyInAnyOrder("#/components/schemas/RunProgress", "#/components/schemas/RunIdle");
        org.assertj.core.api.Assertions.assertThat(body.getMap("components.schemas.Receiver.properties"))
                .containsKeys("name", "type", "target", "to", "timeout_ms", "signed");
    }

    @Test
    void swaggerUiIsServed() {
        given().auth().preemptive().basic("viewer", "viewer-test").when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void theApiDocsNeedTheViewerRole() {
        given().when().get("/q/openapi").then().statusCode(401);
        given().when().get("/q/swagger-ui/").then().statusCode(401);
        given().auth().preemptive().basic("norole", "norole-test").when().get("/q/openapi").then().statusCode(403);
    }
}
