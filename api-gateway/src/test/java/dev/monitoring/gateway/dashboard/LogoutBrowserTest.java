package dev.monitoring.gateway.dashboard;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's Log out ends the session on the server: copies of the cookie die, other pages of it leave. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class LogoutBrowserTest extends BrowserTest {

    @Test
    void logOutSendsEveryPageOfTheSessionToTheLoginFormAndKillsCopiedCookies() {
        DashboardPage here = signIn("leaver");
        DashboardPage elsewhere = signInElsewhere("leaver");
        String copied = context.cookies().stream().filter(c -> c.name.equals("monitoring-session"))
                .map(c -> c.value).findFirst().orElseThrow();
        given().cookie("monitoring-session", copied).when().get("/api/me").then().statusCode(200);

        here.page.click("#logout");
        here.page.waitForURL("**/login.html*");
        // the other browser's live connection is closed by the server (1008): its page goes to the login form too
        elsewhere.page.waitForURL("**/login.html*", new Page.WaitForURLOptions().setTimeout(10_000));

        // The logout's answer clears the cookie (SessionSecurityTest); a request the page had in flight may still come
        // back with a renewed one (Quarkus renews the cookie as it is used). Whatever the browser holds must be dead.
        for (Cookie left : context.cookies()) {
            if (left.name.equals("monitoring-session")) {
                given().cookie("monitoring-session", left.value).when().get("/api/me").then().statusCode(401);
            }
        }
        given().cookie("monitoring-session", copied).when().get("/api/me").then().statusCode(401);
        assertThat(here.consoleErrors).allSatisfy(error -> assertThat(error).doesNotContain("uncaught"));
    }
}
