package dev.monitoring.gateway.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class SecurityTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/me", "/api/errors/recent", "/api/jobs", "/api/runs/current", "/api/health", "/api/jobs/catalog"})
    void readsWithoutCredentialsAre401Json(String route) {
        given()
        .when()
                .get(route)
        .then()
                .statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", containsString("Basic"))
                .body("error", equalTo("authentication required"));
    }

    @Test
    void aBrowserGets401WithoutTheBasicChallengeSoTheDashboardCanShowItsLoginPage() {
        given()
                .header("Sec-Fetch-Mode", "cors")
        .when()
                .get("/api/me")
        .then()
                .statusCode(401)
                .header("WWW-Authenticate", nullValue());
    }

    @Test
    void aWrongPasswordIs401() {
        given()
                .auth().preemptive().basic("admin", "wrong")
        .when()
                .get("/api/me")
        .then()
                .statusCode(401)
                .body("error", equalTo("authentication required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/runs", "/api/runs/current/cancel"})
    void aViewerCannotStartOrCancelRuns(String route) {
        given()
                .auth().preemptive().basic("viewer", "viewer-test")
        .when()
                .post(route)
        .then()
                .statusCode(403)
                .contentType("application/json")
                .body("error", containsString("forbidden"));
    }

    @Test
    void aUserWithoutTheViewerRoleCannotRead() {
        given()
                .auth().preemptive().basic("norole", "norole-test")
        .when()
                .get("/api/errors/recent")
        .then()
                .statusCode(403)
                .body("error", containsString("forbidden"));
    }

    @Test
    void meNamesTheUserAndTheirRoles() {
        given()
                .auth().preemptive().basic("admin", "admin-test")
        .when()
                .get("/api/me")
        .then()
                .statusCode(200)
                .body("user", equalTo("admin"))
                .body("roles", contains("admin", "viewer"));
        given()
                .auth().preemptive().basic("viewer", "viewer-test")
        .when()
                .get("/api/me")
        .then()
                .statusCode(200)
                .body("user", equalTo("viewer"))
                .body("roles", contains("viewer"));
    }

    @Test
    void formLoginGivesASessionCookieThatAuthenticatesApiCallsUntilLogout() {
        Response login = given()
                .redirects().follow(false)
                .formParam("j_username", "viewer")
                .formParam("j_password", "viewer-test")
        .when()
                .post("/j_security_check");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.header("Location")).endsWith("/");
        String cookie = login.cookie("monitoring-session");
        assertThat(cookie).isNotBlank();
        assertThat(login.header("Set-Cookie")).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");

        given()
                .cookie("monitoring-session", cookie)
        .when()
                .get("/api/me")
        .then()
                .statusCode(200)
                .body("user", equalTo("viewer"));

        Response logout = given().cookie("monitoring-session", cookie)
                .header("Origin", "http://localhost:" + io.restassured.RestAssured.port)
                .when().post("/api/logout");
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).contains("monitoring-session=");
    }

    @Test
    void aFailedFormLoginGoesBackToTheLoginPage() {
        given()
                .redirects().follow(false)
                .formParam("j_username", "viewer")
                .formParam("j_password", "wrong")
        .when()
                .post("/j_security_check")
        .then()
                .statusCode(302)
                .header("Location", containsString("/login.html?error"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/login.html"})
    void theDashboardAndItsLoginPageNeedNoLogin(String path) {
        given()
        .when()
                .get(path)
        .then()
                .statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/me", "/api/errors/recent", "/no-such-page"})
    void everyResponseCarriesTheSecurityHeaders(String path) {
        given()
        .when()
                .get(path)
        .then()
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin")
                .header("Content-Security-Policy", matchesPattern(
                        "default-src 'self'; script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'; style-src 'self'; img-src 'self' data:; connect-src 'self'.*"));
    }

    /** The dashboard's one inline script (its first requests) runs: the policy allows exactly its hash. */
    @Test
    void thePolicyAllowsTheDashboardsInlineScriptByItsHash() throws Exception {
        String page;
        try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/resources/index.html")) {
            page = new String(in.readAllBytes(), UTF_8);
        }
        var inline = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertThat(inline.find()).as("index.html has its inline script").isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(inline.group(1).getBytes(UTF_8)));
        assertThat(inline.find()).as("one inline script only").isFalse();
        given()
        .when()
                .get("/login.html")
        .then()
                .header("Content-Security-Policy", containsString("script-src 'self' 'sha256-" + hash + "';"));
    }

    @Test
    void corsIsOffByDefault() {
        given()
                .header("Origin", "https://elsewhere.example")
                .auth().preemptive().basic("viewer", "viewer-test")
        .when()
                .get("/api/me")
        .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
