package dev.monitoring.gateway.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed logins are limited per user and per client address, counted in the real Redis. The tests come through the
 * gateway's trusted proxy (loopback) with addresses of their own in {@code X-Forwarded-For} (TEST-NET-3), and users of
 * their own, so the other tests' logins are never throttled.
 *
 * <p>Sharing between replicas: a replica decides from the counters in Redis alone, nothing of its own; the last test
 * writes the counter the way another replica's failures leave it and shows this replica refusing the right password
 * on that count. (A second gateway process is not started.)
 */
@QuarkusTest
class LoginThrottlingTest {
    private static final String PREFIX = "test.gateway:login-failures:";
    private static final List<String> ADDRESSES = List.of("203.0.113.10", "203.0.113.11", "203.0.113.20",
            "203.0.113.21", "203.0.113.30", "203.0.113.31", "203.0.113.40", "203.0.113.99");
    private static final List<String> USERS = List.of("throttled", "untouched");

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    @AfterEach
    void forgetFailures() {
        ADDRESSES.forEach(address -> redis.key().del(PREFIX + "addr:" + address));
        USERS.forEach(user -> redis.key().del(PREFIX + "user:" + user));
    }

    private static Response basic(String user, String password, String address) {
        return given()
                .header("X-Forwarded-For", address)
                .auth().preemptive().basic(user, password)
        .when()
                .get("/api/me");
    }

    private static Response form(String user, String password, String address) {
        return given()
                .redirects().follow(false)
                .header("X-Forwarded-For", address)
                .formParam("j_username", user)
                .formParam("j_password", password)
        .when()
                .post("/j_security_check");
    }

    private double count(String meter) {
        Counter counter = registry.find(meter).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void assertThrottled(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(429);
        assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    void tenWrongPasswordsThenTheRightOneIs429WithRetryAfterForThatUserAndAddress() {
        double failures = count("gateway.login.failures");
        double throttled = count("gateway.login.throttled");
        for (int i = 1; i <= 10; i++) {
            assertThat(basic("throttled", "wrong-" + i, "203.0.113.10").statusCode()).as("failure " + i).isEqualTo(401);
        }

        Response right = basic("throttled", "throttled-test", "203.0.113.10");
        assertThrottled(right);
        assertThat(right.jsonPath().getString("error")).contains("too many failed logins");
        // the user is throttled from anywhere, by form as well
        assertThrottled(basic("throttled", "throttled-test", "203.0.113.99"));
        assertThrottled(form("throttled", "throttled-test", "203.0.113.99"));
        // and the address for any user
        assertThrottled(basic("untouched", "untouched-test", "203.0.113.10"));

        // another user from another address is not concerned
        assertThat(basic("untouched", "untouched-test", "203.0.113.11").statusCode()).isEqualTo(200);
        assertThat(count("gateway.login.failures") - failures).isGreaterThanOrEqualTo(10);
        assertThat(count("gateway.login.throttled") - throttled).isGreaterThanOrEqualTo(4);
        assertThat(redis.value(String.class).get(PREFIX + "user:throttled")).isEqualTo("10");
        assertThat(redis.key().pttl(PREFIX + "user:throttled")).isBetween(1L, 60_000L);
    }

    @Test
    void failuresFromOneAddressThrottleThatAddressOnly() {
        for (int i = 1; i <= 10; i++) {
            assertThat(basic("nobody-" + i, "wrong", "203.0.113.20").statusCode()).isEqualTo(401);
        }
        assertThrottled(basic("untouched", "untouched-test", "203.0.113.20"));
        assertThat(basic("untouched", "untouched-test", "203.0.113.21").statusCode()).isEqualTo(200);
        // unknown users get no counter of their own
        assertThat(redis.key().exists(PREFIX + "user:nobody-1")).isFalse();
    }

    @Test
    void failedFormLoginsAreCountedAndTheFormGets429Too() {
        for (int i = 1; i <= 10; i++) {
            Response failed = form("throttled", "wrong", "203.0.113.30");
            assertThat(failed.statusCode()).isEqualTo(302);
            assertThat(failed.header("Location")).contains("/login.html?error");
        }
        Response right = given()
                .redirects().follow(false)
                .header("X-Forwarded-For", "203.0.113.31")
                .accept("text/html")
                .formParam("j_username", "throttled")
                .formParam("j_password", "throttled-test")
        .when()
                .post("/j_security_check");
        assertThrottled(right);
        assertThat(right.contentType()).startsWith("text/html");
        assertThat(right.asString()).contains("Too many failed logins").contains("login.html");
        assertThat(right.header("Set-Cookie")).isNull();
    }

    @Test
    void theCountInRedisIsWhatDecidesSoEveryReplicaAgrees() {
        // what ten failures on another replica leave behind: the counter with its window
        redis.value(String.class).psetex(PREFIX + "user:untouched", 30_000, "10");

        Response answer = basic("untouched", "untouched-test", "203.0.113.40");
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 30L);
        // a refused attempt is not a failure: the count stays
        assertThat(redis.value(String.class).get(PREFIX + "user:untouched")).isEqualTo("10");

        redis.key().del(PREFIX + "user:untouched");
        assertThat(basic("untouched", "untouched-test", "203.0.113.40").statusCode()).isEqualTo(200);
    }
}
