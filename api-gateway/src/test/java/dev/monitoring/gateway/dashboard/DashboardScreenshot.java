package dev.monitoring.gateway.dashboard;

import dev.monitoring.gateway.TestEvents;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.model.Category;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.Severity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;

/**
 * Takes docs/dashboard.png with live data from the running system; not part of the normal test run:
 * {@code ./mvnw -pl api-gateway test -Dtest=DashboardScreenshot -Ddashboard.screenshot=$PWD/docs/dashboard.png}.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@EnabledIfSystemProperty(named = "dashboard.screenshot", matches = ".+")
class DashboardScreenshot {

    @TestHTTPResource("/")
    URL root;

    @Inject
    ChannelsConfig channels;

    @Test
    void takeScreenshot() {
        try (Chromium chromium = Chromium.launch(); BrowserContext context = chromium.newContext()) {
            context.setDefaultTimeout(60_000);
            DashboardPage dashboard = DashboardPage.signIn(context, root.toString(), "admin");
            Page page = dashboard.page;
            RedisCli.publish(channels.executions(), TestEvents.jobFailed("nightly-ohlcv-import",
                    "exit code 1: connection refused by quotes.example:443"));
            RedisCli.publish(channels.executions(), TestEvents.jobSucceededAt("weekly-fundamentals",
                    Instant.now().minus(Duration.ofHours(53))));
            // the job with the most targets, so the run is caught in the middle
            String job = given().auth().preemptive().basic("admin", DashboardPage.password("admin"))
                    .when().get("/api/jobs/catalog")
                    .then().statusCode(200)
                    .extract().jsonPath().<Map<String, Object>>getList("jobs").stream()
                    .max(Comparator.comparingInt(j -> ((List<?>) j.get("targets")).size()))
                    .map(j -> (String) j.get("name")).orElseThrow();
            page.selectOption("#run-select", job);
            page.click("#run-now");
            List<String[]> errors = List.of(
                    new String[] {"warning", "performance", "SlowQueryWarning", "indicator query took 2.4 s"},
                    new String[] {"error", "pattern", "PatternDetectionError", "head-and-shoulders fit did not converge"},
                    new String[] {"error", "network", "ConnectionError", "quote feed reset by peer"},
                    new String[] {"warning", "validation", "ValidationWarning", "3 candles with zero volume"},
                    new String[] {"error", "indicator", "ZeroDivisionError", "RSI window has no price change"});
            for (String[] e : errors) {
                RedisCli.publish(channels.errors(), TestEvents.error(Severity.parse(e[0]).orElseThrow(),
                        Category.parse(e[1]), e[3], e[2], "Traceback (most recent call last):\n  ..."));
            }
            RedisCli.publish(channels.errors(), TestEvents.error(Severity.CRITICAL, Category.DATABASE,
                    "connection pool exhausted (50/50) on monitoring-db", "OperationalError", "Traceback ..."));
            // a maintenance window, a silence, and one delivery of each outcome for the lower panels
            String in2h = Instant.now().plus(Duration.ofHours(2)).toString();
            List<String> silenceIds = new ArrayList<>();
            for (String silence : List.of(
                    "{\"matchers\":[{\"label\":\"job\",\"value\":\"nightly-ohlcv-import\"}],\"comment\":\"nightly vendor "
                            + "maintenance\",\"cron\":\"0 0 2 * * ?\",\"duration\":\"2h\"}",
                    "{\"matchers\":[{\"label\":\"rule\",\"value\":\"job_stale\"},{\"label\":\"symbol\",\"value\":\"AAPL|MSFT\","
                            + "\"regex\":true}],\"ends_at\":\"" + in2h + "\",\"comment\":\"quote feed migration\","
                            + "\"end_on_resolve\":true}")) {
                silenceIds.add(given().auth().preemptive().basic("admin", DashboardPage.password("admin"))
                        .contentType("application/json").body(silence).when().post("/api/silences")
                        .then().statusCode(201).extract().jsonPath().getString("id"));
            }
            for (String receiver : List.of(RealServices.ACCEPTING_RECEIVER, RealServices.REFUSING_RECEIVER)) {
                given().auth().preemptive().basic("admin", DashboardPage.password("admin"))
                        .when().post("/api/receivers/" + receiver + "/test");
            }
            assertThat(page.locator("#silences-body tr")).not().hasCount(0);
            assertThat(page.locator("#deliveries-body tr[data-status='failed']").first()).isVisible();
            assertThat(page.locator("#critical-banner")).isVisible();
            page.waitForFunction("() => { const p = Number(document.querySelector('.progress').dataset.percent);"
                    + " return p >= 30 && p < 100; }");
            // the cards below the fold are laid out only when scrolled to (content-visibility: auto), which a
            // full-page capture does not do
            page.evaluate("() => document.querySelectorAll('.card').forEach(card => card.style.contentVisibility = 'visible')");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of(System.getProperty("dashboard.screenshot"))).setFullPage(true));
            // the silences would silence the alerts of later runs on this database
            silenceIds.forEach(id -> given().auth().preemptive().basic("admin", DashboardPage.password("admin"))
                    .when().delete("/api/silences/" + id));
        }
    }
}
