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
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
