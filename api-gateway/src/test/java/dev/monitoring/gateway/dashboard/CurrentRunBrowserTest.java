package dev.monitoring.gateway.dashboard;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import dev.monitoring.gateway.downstream.RealServices;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The current run card: Run now as admin drives the real runner, whose progress arrives over the WebSocket. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class CurrentRunBrowserTest extends BrowserTest {

    @Test
    void runNowAsAdminShowsAMovingProgressBarToCompletion() {
        String job = widestJob();
        DashboardPage dashboard = signIn("admin");
        Locator runNow = dashboard.page.locator("#run-now");
        assertThat(runNow).isVisible();
        assertThat(runNow).isEnabled(new LocatorAssertions.IsEnabledOptions().setTimeout(60_000)); // no run active
        // every percentage the bar shows, recorded in the page as it changes
        dashboard.page.evaluate("() => { window.__percents = []; new MutationObserver(() => window.__percents.push("
                + "Number(document.querySelector('.progress').dataset.percent))).observe(document.querySelector('.progress'),"
                + " { attributes: true, attributeFilter: ['data-percent'] }); }");

        dashboard.page.selectOption("#run-select", job);
        runNow.click();

        assertThat(dashboard.page.locator("#run-status")).hasAttribute("data-status", "running");
        assertThat(dashboard.page.locator("#run-status")).hasAttribute("data-status", "completed",
                new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        assertThat(dashboard.page.locator(".progress")).hasAttribute("data-percent", "100");
        @SuppressWarnings("unchecked")
        List<Number> percents = (List<Number>) dashboard.page.evaluate("() => window.__percents");
        assertThat(percents).as("the bar moved through intermediate values")
                .anyMatch(p -> p.doubleValue() > 0 && p.doubleValue() < 100);
        assertThat(percents.get(percents.size() - 1).doubleValue()).isEqualTo(100.0);
        assertThat(dashboard.page.locator("#run-total")).not().hasText("0");
        assertThat(dashboard.page.locator("#run-select option[value='" + job + "']")).hasCount(1);
        assertThat(dashboard.page.locator("#runs-body tr").first()).isVisible();
        assertThat(runNow).isEnabled();
    }

    @Test
    void cancelStopsTheRunningRun() {
        DashboardPage dashboard = signIn("admin");
        Locator runNow = dashboard.page.locator("#run-now");
        assertThat(runNow).isEnabled(new LocatorAssertions.IsEnabledOptions().setTimeout(60_000)); // no run active
        dashboard.page.selectOption("#run-select", widestJob());
        runNow.click();
        Locator cancel = dashboard.page.locator("#run-cancel");
        assertThat(cancel).isEnabled();

        cancel.click();

        assertThat(dashboard.page.locator("#run-status")).hasAttribute("data-status", "cancelled",
                new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));
        assertThat(dashboard.page.locator("#run-status")).hasText("Run cancelled");
        assertThat(runNow).isEnabled();
        assertThat(cancel).isDisabled();
    }

    @Test
    void viewerSeesNoRunButtons() {
        DashboardPage dashboard = signIn("viewer");
        assertThat(dashboard.page.locator("#user")).containsText("viewer");
        assertThat(dashboard.page.locator("#run-now")).isHidden();
        assertThat(dashboard.page.locator("#run-cancel")).isHidden();
        assertThat(dashboard.page.locator("#run-select")).isHidden();
    }

    /** The job with the most targets, so its run has several steps to show. */
    private static String widestJob() {
        return given().auth().preemptive().basic("admin", DashboardPage.password("admin"))
                .when().get("/api/jobs/catalog")
                .then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("jobs").stream()
                .max(Comparator.comparingInt(j -> ((List<?>) j.get("targets")).size()))
                .map(j -> (String) j.get("name")).orElseThrow();
    }
}
