package dev.monitoring.gateway.dashboard;

import dev.monitoring.gateway.TestEvents;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.monitoring.model.Category;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.Severity;
import dev.monitoring.testsupport.TcpRelay;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import dev.monitoring.gateway.downstream.RealServices;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The page survives its gateway going away: the browser reaches the gateway through a relay that
 * the test cuts (every connection dropped, new ones refused) and restores, since a @QuarkusTest
 * cannot restart the application it tests. Errors published during the outage are filled in
 * from the REST API after the reconnect.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class ReconnectBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    ChannelsConfig channels;

    private Chromium chromium;
    private BrowserContext context;
    private TcpRelay relay;

    @BeforeEach
    void start() throws IOException {
        relay = new TcpRelay(root.getPort());
        relay.start();
        chromium = Chromium.launch();
        context = chromium.newContext();
    }

    @AfterEach
    void stop() {
        context.close();
        chromium.close();
        relay.close();
    }

    @Test
    void pageReconnectsAndFillsTheGapAfterTheGatewayWasGone() throws IOException {
        DashboardPage dashboard = DashboardPage.signIn(context, "http://127.0.0.1:" + relay.port() + "/", "viewer");
        String before = TestEvents.marker("before-outage");
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.NETWORK, before));
        assertThat(dashboard.streamRow(before)).isVisible();

        relay.stop();
        assertThat(dashboard.page.locator("#connection")).hasAttribute("data-state", "reconnecting");
        String during = TestEvents.marker("during-outage");
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.DATABASE, during));

        relay.start();
        assertThat(dashboard.page.locator("#connection")).hasAttribute("data-state", "live",
                new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
        assertThat(dashboard.streamRow(during)).isVisible(); // missed live, fetched with ?since= after the reconnect
        assertThat(dashboard.streamRow(before)).hasCount(1); // and not listed twice

        String after = TestEvents.marker("after-outage");
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.PATTERN, after));
        assertThat(dashboard.streamRow(after)).isVisible();
        assertThat(dashboard.page.locator("#stream-body tr").first()).containsText(after);
    }
}
