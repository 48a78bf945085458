package dev.monitoring.gateway.dashboard;

import dev.monitoring.gateway.TestEvents;
import com.microsoft.playwright.BrowserContext;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import dev.monitoring.model.Category;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.Severity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** With the monitor really stopped, the page says which parts are unavailable and why, and stays live. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class MonitorDownBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    ChannelsConfig channels;

    @Test
    void sectionsOfTheStoppedMonitorSayWhyWhileLiveErrorsKeepComing() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        try (Chromium chromium = Chromium.launch(); BrowserContext context = chromium.newContext()) {
            DashboardPage dashboard = DashboardPage.signIn(context, root.toString(), "viewer");
            RealServices.monitor().kill();
            try {
                dashboard.reload();

                assertThat(dashboard.page.locator(".jobs-card .card-error")).containsText("monitor-service");
                assertThat(dashboard.page.locator(".groups-card .card-error")).containsText("monitor-service");
                assertThat(dashboard.page.locator(".run-card .card-error")).hasCount(0); // the runner is up
                String marker = TestEvents.marker("monitor-down");
                RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.NETWORK, marker));
                assertThat(dashboard.streamRow(marker)).isVisible(); // pushed by the gateway itself
                // the error makes the page ask for the health again, which the monitor cannot answer
                assertThat(dashboard.page.locator("#health")).hasAttribute("data-health", "unknown");
            } finally {
                RealServices.monitor().restart();
            }
            assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service after restart").isNull();
            dashboard.reload();
            assertThat(dashboard.page.locator(".card-error")).hasCount(0);
        }
    }
}
