package dev.monitoring.gateway.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium driven by Playwright. Playwright never downloads a browser here:
 * the project's set-up installs {@code /usr/bin/chromium} (override with {@code CHROMIUM_PATH}).
 */
final class Chromium implements AutoCloseable {

    static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: install it with `apt-get install -y chromium` "
                    + "(scripts/test.sh does) or point CHROMIUM_PATH at a Chromium binary");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE)
                    .setHeadless(true)
                    .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--no-first-run")));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh browser profile (no cookies) with a desktop-sized window. */
    BrowserContext newContext() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 1000));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
