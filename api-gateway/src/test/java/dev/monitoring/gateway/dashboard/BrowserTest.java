package dev.monitoring.gateway.dashboard;

import com.microsoft.playwright.BrowserContext;
import dev.monitoring.model.ChannelsConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * One Chromium per test class and a fresh browser context (cookies, storage) per test, against the
 * gateway under test. Subclasses are {@code @QuarkusTest}s with the {@code RealServices} resource.
 */
abstract class BrowserTest {
    private static Chromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    ChannelsConfig channels;

    BrowserContext context;

    /** Further browser profiles of the test (another user, another page), closed after it. */
    private final List<BrowserContext> others = new ArrayList<>();

    @BeforeAll
    static void launchBrowser() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void closeBrowser() {
        chromium.close();
    }

    @BeforeEach
    void newContext() {
        context = chromium.newContext();
    }

    @AfterEach
    void closeContext() {
        others.forEach(BrowserContext::close);
        others.clear();
        context.close();
    }

    DashboardPage signIn(String role) {
        return DashboardPage.signIn(context, root.toString(), role);
    }

    /** Signs in in a browser profile of its own, like a second person with the page open. */
    DashboardPage signInElsewhere(String role) {
        BrowserContext other = chromium.newContext();
        others.add(other);
        return DashboardPage.signIn(other, root.toString(), role);
    }
}
