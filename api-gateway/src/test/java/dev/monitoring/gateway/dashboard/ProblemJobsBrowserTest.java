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
