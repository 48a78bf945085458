package dev.monitoring.gateway.security;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard session: bcrypt-hashed passwords, the cookie behind a TLS-terminating proxy, logout on the server
 * (copied cookies and open WebSockets included) and the cross-site checks. Real gateway, real Redis.
 */
@QuarkusTest
class SessionSecurityTest {
    private static final String COOKIE = "monitoring-session";

    @Inject
    RedisDataSource redis;

    private static String origin() {
        return "http://localhost:" + RestAssured.port;
    }

    private static Response formLogin(String user, String password, Map<String, String> headers) {
        return given()
                .redirects().follow(false)
                .headers(headers)
                .formParam("j_username", user)
                .formParam("j_password", password)
        .when()
                .post("/j_security_check");
    }

    private static String sessionOf(String user, String password) {
        Response login = formLogin(user, password, Map.of());
        assertThat(login.statusCode()).as(login.asString()).isEqualTo(302);
        String cookie = login.cookie(COOKIE);
        assertThat(cookie).isNotBlank();
        return cookie;
    }

    // --- passwords as bcrypt hashes ---

    @Test
    void aBcryptHashedPasswordWorksForBasicAndForm() {
        given().auth().preemptive().basic("hashed", "hashed-test").when().get("/api/me")
                .then().statusCode(200);
        given().auth().preemptive().basic("hashed", "hashed-tesT").when().get("/api/me")
                .then().statusCode(401);
        String cookie = sessionOf("hashed", "hashed-test");
        assertThat(given().cookie(COOKIE, cookie).when().get("/api/me").jsonPath().getString("user")).isEqualTo("hashed");
    }

    // --- behind a TLS-terminating proxy ---

    @Test
    void forwardedHttpsFromTheTrustedProxyGivesASecureCookieAndHsts() {
        Response login = formLogin("viewer", "viewer-test", Map.of("X-Forwarded-Proto", "https"));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.header("Location")).startsWith("https://");
        assertThat(login.header("Set-Cookie")).startsWith(COOKIE + "=").containsIgnoringCase("; Secure")
                .containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
        assertThat(login.header("Strict-Transport-Security")).startsWith("max-age=");
        given().header("X-Forwarded-Proto", "https").when().get("/login.html")
                .then().statusCode(200).header("Strict-Transport-Security", "max-age=31536000");
    }

    @Test
    void plainHttpGetsNeitherASecureCookieNorHsts() {
        Response login = formLogin("viewer", "viewer-test", Map.of());
        assertThat(login.header("Set-Cookie")).startsWith(COOKIE + "=").doesNotContainIgnoringCase("secure");
        assertThat(login.header("Strict-Transport-Security")).isNull();
        assertThat(given().when().get("/login.html").header("Strict-Transport-Security")).isNull();
    }

    // --- logout ---

    @Test
    void afterLogoutACopiedCookieIsRefusedAndItsWebSocketClosed() throws Exception {
        String cookie = sessionOf("leaver", "leaver-test");
        String copy = cookie;
        given().cookie(COOKIE, copy).when().get("/api/me").then().statusCode(200);
        Socket socket = Socket.open(Map.of("Cookie", COOKIE + "=" + cookie, "Origin", origin()));
        socket.awaitHello();

        Response logout = given().cookie(COOKIE, cookie).header("Origin", origin()).when().post("/api/logout");
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).startsWith(COOKIE + "=").containsIgnoringCase("Max-Age=0");

        // the copy is refused on this replica, and on any other: the revocation is in Redis
        given().cookie(COOKIE, copy).when().get("/api/me").then().statusCode(401);
        given().cookie(COOKIE, copy).header("Sec-Fetch-Mode", "navigate").when().get("/api/errors/recent")
                .then().statusCode(401);
        assertThat(redis.key().pttl("test.gateway:session-revoked:leaver"))
                .isBetween(Duration.ofHours(7).toMillis(), Duration.ofHours(8).toMillis());
        assertThat(socket.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(handshakeStatus(Map.of("Cookie", COOKIE + "=" + copy, "Origin", origin()))).isEqualTo(401);

        // a new login works
        String fresh = sessionOf("leaver", "leaver-test");
        given().cookie(COOKIE, fresh).when().get("/api/me").then().statusCode(200);
    }

    @Test
    void aLogoutOnAnotherReplicaClosesTheWebSocketsHereToo() throws Exception {
        String cookie = sessionOf("leaver", "leaver-test");
        Socket socket = Socket.open(Map.of("Cookie", COOKIE + "=" + cookie, "Origin", origin()));
        socket.awaitHello();
        // what a logout on another replica leaves in Redis: the time it happened
        Thread.sleep(5);
        redis.value(String.class).psetex("test.gateway:session-revoked:leaver", Duration.ofHours(8).toMillis(),
                String.valueOf(System.currentTimeMillis()));

        assertThat(socket.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        given().cookie(COOKIE, cookie).when().get("/api/me").then().statusCode(401);
    }

    @Test
    void aBasicClientsLogoutIs204AndChangesNothing() {
        given().auth().preemptive().basic("viewer", "viewer-test").when().post("/api/logout").then().statusCode(204);
        given().auth().preemptive().basic("viewer", "viewer-test").when().get("/api/me").then().statusCode(200);
    }

    // --- cross-site requests ---

    @Test
    void aCookieChangeNeedsTheGatewaysOwnOrigin() {
        String admin = sessionOf("admin", "admin-test");
        // a body that is not a JSON object: the gateway's own 400 once the request is let through
        Response foreign = given().cookie(COOKIE, admin).header("Origin", "https://evil.example")
                .contentType("application/json").body("[]").when().post("/api/silences");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/json");
        assertThat(foreign.jsonPath().getString("error")).contains("cross-site").contains("https://evil.example");

        Response none = given().cookie(COOKIE, admin).contentType("application/json").body("[]").when().post("/api/silences");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.jsonPath().getString("error")).contains("Origin");

        given().cookie(COOKIE, admin).header("Referer", "https://evil.example/page").contentType("application/json")
                .body("[]").when().delete("/api/silences/00000000-0000-0000-0000-000000000000").then().statusCode(403);

        given().cookie(COOKIE, admin).header("Origin", origin()).contentType("application/json").body("[]")
                .when().post("/api/silences").then().statusCode(400);
        given().cookie(COOKIE, admin).header("Referer", origin() + "/").contentType("application/json").body("[]")
                .when().post("/api/silences").then().statusCode(400);
        // GATEWAY_ALLOWED_ORIGINS (the test configuration allows one more)
        given().cookie(COOKIE, admin).header("Origin", "https://dashboard.example.test").contentType("application/json")
                .body("[]").when().post("/api/silences").then().statusCode(400);
    }

    @Test
    void basicClientsNeedNoOrigin() {
        given().auth().preemptive().basic("admin", "admin-test").contentType("application/json").body("[]")
                .when().post("/api/silences").then().statusCode(400);
    }

    @Test
    void theOriginAsSeenThroughTheProxyIsTheGatewaysOwn() {
        String admin = sessionOf("admin", "admin-test");
        given().cookie(COOKIE, admin)
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "monitoring.example.test")
                .header("Origin", "https://monitoring.example.test")
                .contentType("application/json").body("[]").when().post("/api/silences").then().statusCode(400);
        given().cookie(COOKIE, admin)
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "monitoring.example.test")
                .header("Origin", origin())
                .contentType("application/json").body("[]").when().post("/api/silences").then().statusCode(403);
    }

    @Test
    void aLoginFormPostedFromAnotherSiteIsRefused() {
        Response login = formLogin("viewer", "viewer-test", Map.of("Origin", "https://evil.example"));
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.header("Set-Cookie")).isNull();
        assertThat(formLogin("viewer", "viewer-test", Map.of("Origin", origin())).statusCode()).isEqualTo(302);
    }

    @Test
    void theWebSocketRefusesAForeignOriginWithTheCookie() throws Exception {
        String viewer = sessionOf("hashed", "hashed-test");
        assertThat(handshakeStatus(Map.of("Cookie", COOKIE + "=" + viewer, "Origin", "https://evil.example")))
                .isEqualTo(403);
        Socket own = Socket.open(Map.of("Cookie", COOKIE + "=" + viewer, "Origin", origin()));
        own.awaitHello();
        own.close();
        // an API client with Basic credentials and no cookie is not a browser page of another site
        Socket basic = Socket.open(Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("viewer:viewer-test".getBytes(StandardCharsets.UTF_8)), "Origin", "https://elsewhere.example"));
        basic.awaitHello();
        basic.close();
    }

    /** The status of a refused handshake (fails the test when the socket opens). */
    private static int handshakeStatus(Map<String, String> headers) {
        try {
            Socket.open(headers);
            throw new AssertionError("the handshake was accepted");
        } catch (ExecutionException e) {
            assertThat(e).hasCauseInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A JDK WebSocket client of /ws/errors that reports its hello and how it was closed. */
    static final class Socket implements WebSocket.Listener {
        private final CompletableFuture<Void> hello = new CompletableFuture<>();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Socket open(Map<String, String> headers) throws Exception {
            Socket listener = new Socket();
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            headers.forEach(builder::header);
            listener.socket = builder.buildAsync(URI.create("ws://localhost:" + RestAssured.port + "/ws/errors"), listener)
                    .get(5, TimeUnit.SECONDS);
            return listener;
        }

        void awaitHello() throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
            hello.get(5, TimeUnit.SECONDS);
        }

        CompletableFuture<Integer> closeCode() {
            return closed;
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            await().atMost(Duration.ofSeconds(5)).until(() -> socket.isInputClosed() || closed.isDone());
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (partial.toString().contains("\"type\":\"hello\"")) {
                    hello.complete(null);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
            hello.completeExceptionally(error);
        }
    }
}
