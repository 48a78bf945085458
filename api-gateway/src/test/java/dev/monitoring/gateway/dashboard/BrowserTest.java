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
        context.close();
    }

    DashboardPage signIn(String role) {
        return DashboardPage.signIn(context, root.toString(), role);
    }
}
