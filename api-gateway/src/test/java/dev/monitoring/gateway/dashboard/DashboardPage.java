package dev.monitoring.gateway.dashboard;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/** The dashboard as a user sees it: signs in through the login form, then reads the page. */
final class DashboardPage {

    final Page page;
    /** Console errors and CSP violations after sign-in. */
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    /** Any alert()/confirm()/prompt(): the page must never open one. */
    final List<String> dialogs = new CopyOnWriteArrayList<>();

    private DashboardPage(Page page) {
        this.page = page;
        page.onDialog(dialog -> {
            dialogs.add(dialog.type() + ": " + dialog.message());
            dialog.dismiss();
        });
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text());
            }
        });
        page.onPageError(error -> consoleErrors.add("uncaught: " + error));
    }

    static String password(String user) {
        return ConfigProvider.getConfig().getValue("gateway.security.users." + user + ".password", String.class);
    }

    /** Opens the page signed out, is sent to the login form, signs in and waits until the page is live. */
    static DashboardPage signIn(BrowserContext context, String baseUrl, String user) {
        DashboardPage dashboard = new DashboardPage(context.newPage());
        Page page = dashboard.page;
        page.navigate(baseUrl);
        page.waitForURL("**/login.html*");
        page.fill("#j_username", user);
        page.fill("#j_password", password(user));
        page.click("button[type=submit]");
        dashboard.waitUntilLive();
        dashboard.consoleErrors.clear();
        return dashboard;
    }

    void waitUntilLive() {
        page.waitForSelector("body[data-ready=true]");
        assertThat(page.locator("#connection")).hasAttribute("data-state", "live");
    }

    void reload() {
        page.reload();
        waitUntilLive();
    }

    Locator streamRow(String marker) {
        return page.locator("#stream-body tr", new Page.LocatorOptions().setHasText(marker));
    }

    Locator silenceRow(String marker) {
        return page.locator("#silences-body tr", new Page.LocatorOptions().setHasText(marker));
    }

    Locator deliveryRow(String notificationId) {
        return page.locator("#deliveries-body tr[data-id='" + notificationId + "']");
    }

    Locator alertRow(String alertId) {
        return page.locator("#alerts-body tr[data-alert-id='" + alertId + "']");
    }

    Locator jobRow(String job) {
        return page.locator("#jobs-body tr[data-job='" + job + "']");
    }

    void filter(String group, String value) {
        page.click("#" + group + "-filters button[data-filter='" + value + "']");
    }

    void searchJobs(String text) {
        page.fill("#jobs-search", text);
    }

    boolean visible(Locator locator) {
        return locator.isVisible();
    }

    void waitVisible(Locator locator, double timeoutMs) {
        locator.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(timeoutMs));
    }

    /** How many errors the rows containing the marker stand for (a folded row shows ×count). */
    int errorsShown(String marker) {
        Object sum = page.evaluate("marker => [...document.querySelectorAll('#stream-body tr')]"
                + ".filter(tr => tr.textContent.includes(marker))"
                + ".map(tr => { const f = tr.querySelector('.fold-count'); return f ? Number(f.textContent.slice(1)) : 1; })"
                + ".reduce((a, b) => a + b, 0)", marker);
        return ((Number) sum).intValue();
    }
}
