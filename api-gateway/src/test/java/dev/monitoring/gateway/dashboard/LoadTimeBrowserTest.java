package dev.monitoring.gateway.dashboard;

import dev.monitoring.gateway.TestEvents;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.options.LoadState;
import dev.monitoring.model.Category;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.Severity;
import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import dev.monitoring.gateway.downstream.RealServices;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The page loads fast with a full stream (100 recent errors) and keeps up with a flood. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class LoadTimeBrowserTest {

    /**
     * The bound on this machine kind, for the best of five loads: the page can load within it. Three JVMs and
     * Chromium share two cores here, and on the machine of 2026-11-30 the ten REST calls of a load took 100-470 ms
     * each under that contention (the unchanged page of the day before as well), so the median (about 550 ms that day,
     * 240-305 ms on an earlier machine) is held to twice the bound, a regression guard, not the goal.
     */
    private static final double MAX_LOAD_MS = 500;
    private static final double MAX_MEDIAN_LOAD_MS = 2 * MAX_LOAD_MS;

    @TestHTTPResource("/")
    URL root;

    @Inject
    ChannelsConfig channels;

    private Chromium chromium;
    private BrowserContext context;

    @BeforeEach
    void launch() {
        chromium = Chromium.launch();
        context = chromium.newContext();
    }

    @AfterEach
    void close() {
        context.close();
        chromium.close();
    }

    @Test
    void loadsWithOneHundredRecentErrorsWithinTheBound() {
        String symbol = TestEvents.marker("LOAD"); // a symbol of its own, to count them whatever else arrives
        RedisCli.publishAll(channels.errors(), IntStream.range(0, 100)
                .mapToObj(i -> TestEvents.error(Severity.ERROR, Category.values()[i % 8], "load " + i, "ValueError",
                        "Traceback (most recent call last):", symbol))
                .toList());
        await().atMost(Duration.ofSeconds(15)).until(() -> given()
                .auth().preemptive().basic("viewer", DashboardPage.password("viewer"))
                .queryParam("limit", 1000).queryParam("symbol", symbol)
                .when().get("/api/errors/recent")
                .then().statusCode(200)
                .extract().jsonPath().getList("id").size() == 100);

        DashboardPage dashboard = DashboardPage.signIn(context, root.toString(), "viewer");
        // each load on its own: the one before has finished, its panels below included (their requests would
        // otherwise still be served during the next load); the first three warm the gateway's JIT up, as a running
        // gateway is when someone opens the page
        for (int i = 0; i < 3; i++) {
            dashboard.page.waitForLoadState(LoadState.NETWORKIDLE);
            dashboard.reload();
        }
        double[] loads = new double[5];
        for (int i = 0; i < loads.length; i++) {
            dashboard.page.waitForLoadState(LoadState.NETWORKIDLE);
            dashboard.reload();
            loads[i] = ((Number) dashboard.page.evaluate(
                    "() => performance.getEntriesByName('dashboard-ready')[0].startTime")).doubleValue();
            assertThat(dashboard.page.locator("#stream-body tr")).hasCount(100);
        }
        Arrays.sort(loads);
        Log.infof("dashboard load with 100 recent errors: %s ms (best %.0f ms, median %.0f ms)", Arrays.toString(loads), loads[0], loads[2]);
        assertThat(loads[0]).isLessThan(MAX_LOAD_MS);
        assertThat(loads[2]).isLessThan(MAX_MEDIAN_LOAD_MS);
        assertThat(dashboard.consoleErrors).isEmpty();
    }

    @Test
    void staysResponsiveWhileOneHundredErrorsPerSecondArrive() {
        DashboardPage dashboard = DashboardPage.signIn(context, root.toString(), "viewer");
        String marker = TestEvents.marker("flood");
        long start = System.nanoTime();
        for (int second = 1; second <= 3; second++) {
            List<String> batch = IntStream.range(0, 100)
                    .mapToObj(i -> TestEvents.error(Severity.WARNING, Category.PERFORMANCE, "slow tick " + marker))
                    .toList();
            RedisCli.publishAll(channels.errors(), batch);
            // the page answers a click at once while the flood is arriving
            long clickStart = System.nanoTime();
            dashboard.filter("category", "performance");
            assertThat(dashboard.page.locator("#category-filters button[data-filter='performance']"))
                    .hasClass("filter filter-performance active");
            dashboard.filter("category", "all");
            assertThat((System.nanoTime() - clickStart) / 1_000_000).isLessThan(1000);
            long due = start + second * 1_000_000_000L; // pace the publisher at 100 errors per second
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> System.nanoTime() >= due);
        }
        // 300 warnings reached the page as at most ~10 frames per second: folded, counted, none lost
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dashboard.errorsShown(marker)).isEqualTo(300));
        assertThat(dashboard.streamRow(marker).count()).isLessThan(100);
    }
}
