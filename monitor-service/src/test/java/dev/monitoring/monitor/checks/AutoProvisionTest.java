package dev.monitoring.monitor.checks;

import dev.monitoring.monitor.MonitorTables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** With auto-provisioning on, the first ping of a key no check has makes a check, within bounds anyone pinging cannot pass. */
@QuarkusTest
@TestProfile(AutoProvisionTest.On.class)
class AutoProvisionTest {
    private static final String KEY_A = "backup-key-0123456789";
    private static final String KEY_B = "another-key-0123456789";

    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monitor.checks.auto-provision.enabled", "true", "monitor.checks.auto-provision.max-checks", "2");
        }
    }

    @Inject
    Pool pool;

    @BeforeEach
    void clean() {
        MonitorTables.truncateAll(pool);
    }

    @Test
    void theFirstPingOfANewKeyMakesACheckNamedAsItSaysOrAfterAHashOfTheKey() {
        ping(KEY_A, "?name=nightly-backup").statusCode(200).body("check", equalTo("nightly-backup"));
        ping(KEY_A, "").statusCode(200).body("check", equalTo("nightly-backup"));
        given().get("/api/checks/nightly-backup").then().statusCode(200)
                .body("source", equalTo("ping")).body("state", equalTo("up"))
                .body("period_seconds", equalTo(86400)).body("grace_seconds", equalTo(3600));

        ping(KEY_B, "/start").statusCode(200).body("check", matchesPattern("ping-[0-9a-f]{12}"));
        given().get("/api/checks").then().body("findAll { it.name.startsWith('ping-') }[0].state", equalTo("running"));

        // it is the API's to change: a schedule can be given afterwards
        given().contentType(ContentType.JSON).body("{\"schedule\":\"0 3 * * *\"}").put("/api/checks/nightly-backup")
                .then().statusCode(200).body("schedule", equalTo("0 3 * * *"));
    }

    @Test
    void shortKeysAndKeysPastTheLimitMakeNothing() {
        ping("short-key", "").statusCode(404);
        ping(KEY_A, "").statusCode(200);
        ping(KEY_B, "").statusCode(200);
        ping("third-key-0123456789", "").statusCode(404);
        ping(KEY_A + "x", "?name=bad%20name").statusCode(400).body("parameter", equalTo("name"));
        given().get("/api/checks").then().body("size()", equalTo(2));
    }

    private static io.restassured.response.ValidatableResponse ping(String key, String rest) {
        return given().contentType(ContentType.TEXT).body("").post("/api/checks/pings/" + key + rest).then();
    }
}
