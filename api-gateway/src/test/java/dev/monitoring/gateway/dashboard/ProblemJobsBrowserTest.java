package dev.monitoring.gateway.dashboard;

import dev.monitoring.gateway.TestEvents;
import com.microsoft.playwright.Locator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import dev.monitoring.gateway.downstream.RealServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Jobs with errors &amp; not updating": execution events published on the executions channel go
 * through the real monitor (which computes failures and staleness) and show up on the open page.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class ProblemJobsBrowserTest extends BrowserTest {

    private DashboardPage dashboard;

    @BeforeEach
    void signInAsViewer() {
        dashboard = signIn("viewer");
    }

    @Test
    void theChecksCardShowsEachCheckLiveAndAnAdminPausesOneThatAViewerSeesPaused() {
        String name = TestEvents.marker("dash-check");
        String key = io.restassured.RestAssured.given().auth().preemptive().basic("admin", "admin-test").contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"period_seconds\":3600}").post(root + "api/checks")
                .then().statusCode(201).extract().jsonPath().getString("ping_key");
        DashboardPage admin = signInElsewhere("admin");
        Locator viewerRow = dashboard.page.locator("#checks-body tr[data-check='" + name + "']");
        Locator adminRow = admin.page.locator("#checks-body tr[data-check='" + name + "']");
        com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions soon =
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(10_000);
        assertThat(adminRow.locator(".badge")).hasText("new", soon);
        // from here on faster than the card's own 10 s refresh: only the live frames can do it
        soon = new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(4_000);

        // a crontab's pings: the open pages follow them live (a check frame, then the list)
        io.restassured.RestAssured.given().get(root + "ping/" + key + "/start").then().statusCode(200);
        assertThat(viewerRow.locator(".badge")).hasText("running", soon);
        io.restassured.RestAssured.given().get(root + "ping/" + key).then().statusCode(200);
        assertThat(viewerRow.locator(".badge")).hasText("up", soon);
        assertThat(viewerRow.locator("svg.sparkline")).hasAttribute("data-points", "1");
        assertThat(viewerRow.locator("svg.sparkline circle")).hasCount(1); // one run: a dot, as a line needs two points
        assertThat(viewerRow.locator("td").nth(2)).hasText("every 1 h");
        assertThat(viewerRow.locator("button")).hasCount(0);
        // the card spans the page like the error groups below it (it once took one twelfth of the grid)
        assertThat(dashboard.page.locator(".checks-card").boundingBox().width)
                .isGreaterThan(0.9 * dashboard.page.locator(".groups-card").boundingBox().width);

        adminRow.locator("button[data-action='pause']").click();
        assertThat(adminRow.locator(".badge")).hasText("paused", soon);
        assertThat(viewerRow.locator(".badge")).hasText("paused", soon);
        adminRow.locator("button[data-action='resume']").click();
        assertThat(viewerRow.locator(".badge")).hasText("up", soon);
    }

    @Test
    void failingJobShowsARedErrorBadgeWithItsMessageAsTooltip() {
        String job = TestEvents.marker("dash-failing-job");
        String message = "exit code 1: <b>no quotes</b> for " + job;
        RedisCli.publish(channels.executions(), TestEvents.jobFailed(job, message));

        dashboard.searchJobs(job); // the page refreshes the table by itself after the execution frame
        Locator badge = dashboard.jobRow(job).locator(".badge");
        assertThat(badge).hasText("Error", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                .setTimeout(10_000));
        assertThat(badge).hasClass("badge issue-error");
        assertThat(badge).hasAttribute("title", message);
        assertThat(dashboard.jobRow(job).locator("b")).hasCount(0);
    }

    @Test
    void staleJobShowsAYellowStaleBadgeWithHoursSinceUpdate() {
        String job = TestEvents.marker("dash-stale-job");
        RedisCli.publish(channels.executions(), TestEvents.jobSucceededAt(job, Instant.now().minus(Duration.ofHours(72))));

        dashboard.searchJobs(job);
        Locator badge = dashboard.jobRow(job).locator(".badge");
        assertThat(badge).hasText("Stale", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                .setTimeout(10_000));
        assertThat(badge).hasClass("badge issue-stale");
        String tooltip = badge.getAttribute("title");
        assertThat(tooltip).endsWith("hours since last update");
        assertThat(Double.parseDouble(tooltip.split(" ")[0])).isBetween(71.9, 72.5);
    }

    @Test
    void tableIsSortableAndPaginatedUnderTheFreshnessSummary() {
        String prefix = TestEvents.marker("dash-sort");
        RedisCli.publish(channels.executions(), TestEvents.jobFailed(prefix + "-a", "first"));
        RedisCli.publish(channels.executions(), TestEvents.jobFailed(prefix + "-b", "second"));
        dashboard.searchJobs(prefix);
        assertThat(dashboard.page.locator("#jobs-body tr")).hasCount(2,
                new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(10_000));

        Locator nameHeader = dashboard.page.locator("#jobs-table th[data-sort='name']");
        nameHeader.click();
        assertThat(nameHeader).hasAttribute("aria-sort", "ascending");
        assertThat(dashboard.page.locator("#jobs-body td.job-name")).hasText(new String[] {prefix + "-a", prefix + "-b"});
        nameHeader.click();
        assertThat(nameHeader).hasAttribute("aria-sort", "descending");
        assertThat(dashboard.page.locator("#jobs-body td.job-name")).hasText(new String[] {prefix + "-b", prefix + "-a"});

        dashboard.searchJobs("");
        assertThat(dashboard.page.locator("#jobs-body tr").count()).isBetween(2, 10);
        assertThat(dashboard.page.locator("#jobs-page")).containsText("page 1 of");
        assertThat(dashboard.page.locator("#monitored-count")).not().hasText("–");
    }
}
