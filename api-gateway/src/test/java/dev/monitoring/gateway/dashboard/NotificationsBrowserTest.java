package dev.monitoring.gateway.dashboard;

import dev.monitoring.gateway.TestEvents;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.RealServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The Silences, Alerts and Notifications panels in Chromium: live from the real monitor and from redis-cli. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class NotificationsBrowserTest extends BrowserTest {

    @Test
    void anAdminCreatesASilenceThatAppearsLiveOnAnotherPageAndExpiresIt() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        DashboardPage admin = signIn("admin");
        DashboardPage viewer = signInElsewhere("viewer");
        assertThat(admin.page.locator("#silence-form")).isVisible();
        assertThat(viewer.page.locator("#silence-form")).isHidden();

        String marker = TestEvents.marker("silence");
        admin.page.fill("#silence-matchers", "rule=" + marker + ", symbol=~AAPL|MSFT");
        admin.page.fill("#silence-ends-in", "2h");
        admin.page.fill("#silence-comment", "<b>db migration</b> " + marker);
        admin.page.click("#silence-submit");

        Locator mine = admin.silenceRow(marker);
        assertThat(mine).hasCount(1);
        assertThat(mine.locator(".matcher").first()).hasText("rule=" + marker);
        assertThat(mine.locator(".matcher").nth(1)).hasText("symbol=~AAPL|MSFT");
        assertThat(mine.locator(".created-by")).hasText("admin");
        assertThat(mine.locator(".comment")).hasText("<b>db migration</b> " + marker);
        assertThat(mine.locator(".badge")).hasText("active");
        assertThat(mine.locator(".until")).not().hasText("–");
        assertThat(admin.page.locator("#silence-error")).isEmpty();
        assertThat(admin.page.locator("#silence-matchers")).hasValue(""); // the form is cleared for the next one

        // the other page was open all along: the monitor's silence frame brings it there
        Locator theirs = viewer.silenceRow(marker);
        assertThat(theirs).hasCount(1);
        assertThat(theirs.locator(".created-by")).hasText("admin");
        assertThat(theirs.locator(".silence-expire")).hasCount(0);
        assertThat(viewer.page.locator("#silences-body b")).hasCount(0);

        mine.locator(".silence-expire").click();
        assertThat(mine).hasCount(0);
        assertThat(theirs).hasCount(0);
        // and it stays gone after a reload: the monitor has it expired
        viewer.reload();
        assertThat(viewer.silenceRow(marker)).hasCount(0);
        assertThat(admin.dialogs).isEmpty();
        assertThat(admin.consoleErrors).isEmpty();
        assertThat(viewer.consoleErrors).isEmpty();
    }

    @Test
    void anAdminResolvesAndIgnoresAnErrorGroupAndAnotherDashboardFollowsLive() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        DashboardPage admin = signIn("admin");
        DashboardPage viewer = signInElsewhere("viewer");
        // a type of its own (types are matched as sent; messages in their grouped form)
        String type = "GroupBrowserError_" + TestEvents.marker("g").replace('-', '_');
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.NETWORK, "feed timed out", type,
                "Traceback (most recent call last):\n  File \"feed.py\""));
        for (DashboardPage page : java.util.List.of(admin, viewer)) {
            page.page.fill("#groups-q", type);
        }
        Locator mine = admin.page.locator("#groups-body tr", new Page.LocatorOptions().setHasText(type));
        Locator theirs = viewer.page.locator("#groups-body tr", new Page.LocatorOptions().setHasText(type));
        assertThat(mine).hasCount(1);
        assertThat(theirs).hasCount(1);
        assertThat(mine.locator(".badge")).hasText("Unresolved");
        assertThat(theirs.locator("button")).hasCount(0); // viewers see the state, not the actions

        mine.locator("button[data-action='resolve']").click();
        assertThat(mine.locator(".badge")).hasText("Resolved");
        assertThat(theirs.locator(".badge")).hasText("Resolved"); // the group frame, not a reload

        mine.locator("button[data-action='ignore']").click();
        assertThat(mine.locator(".badge")).hasText("Ignored");
        assertThat(theirs.locator(".badge")).hasText("Ignored");
        assertThat(mine.locator("button[data-action='unresolve']")).isVisible();

        // errors of the ignored group keep coming: shown muted and marked, without a toast
        Locator muted = viewer.page.locator("#stream-body tr.row-ignored", new Page.LocatorOptions().setHasText(type));
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger(1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            published.incrementAndGet();
            RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.NETWORK, "feed timed out", type,
                    "Traceback (most recent call last):\n  File \"feed.py\""));
            viewer.page.waitForTimeout(500);
            return muted.count() > 0;
        });
        assertThat(muted.first().locator(".ignored-mark")).hasText("ignored");

        // stored, not only shown: a fresh page filtered on ignored groups lists it
        viewer.reload();
        viewer.page.selectOption("#groups-state", "ignored");
        viewer.page.fill("#groups-q", type);
        Locator listed = viewer.page.locator("#groups-body tr", new Page.LocatorOptions().setHasText(type));
        assertThat(listed.locator(".badge")).hasText("Ignored");

        // the group in depth: its row opens occurrences, latest errors with traceback, symbols, jobs and activity
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> given().auth().preemptive()
                .basic("viewer", "viewer-test").queryParam("q", type).get("/api/errors/groups").then().extract().jsonPath()
                .getLong("[0].count") == published.get());
        long errors = published.get();
        listed.locator("td.message").click();
        Locator dialog = viewer.page.locator("#group-detail");
        assertThat(dialog).isVisible();
        assertThat(dialog.locator("#group-detail-title")).containsText(type);
        // one bar per hour with errors (two when the test runs across an hour)
        assertThat(dialog.locator("#group-detail-bars .bar").first()).isVisible();
        assertThat(dialog.locator(".latest-error")).hasCount((int) Math.min(errors, 10));
        dialog.locator(".latest-error summary").first().click();
        assertThat(dialog.locator(".latest-error pre").first()).containsText("feed.py");
        assertThat(dialog.locator("#group-detail-symbols li")).hasText("AAPL (" + errors + ")");
        assertThat(dialog.locator("#group-detail-activity li").first()).containsText("admin ignored");
        assertThat(dialog.locator("#group-detail-activity li").nth(1)).containsText("admin resolved");
        assertThat(admin.consoleErrors).isEmpty();
        assertThat(viewer.consoleErrors).isEmpty();
    }

    @Test
    void aMaintenanceWindowShowsItsCronAndLength() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        DashboardPage admin = signIn("admin");
        String marker = TestEvents.marker("window");
        admin.page.fill("#silence-matchers", "job=" + marker);
        admin.page.fill("#silence-comment", "nightly maintenance " + marker);
        admin.page.fill("#silence-cron", "0 0 2 * * ?");
        admin.page.fill("#silence-duration", "2h");
        admin.page.check("#silence-end-on-resolve");
        admin.page.click("#silence-submit");

        Locator row = admin.silenceRow(marker);
        assertThat(row).hasCount(1);
        assertThat(row.locator(".window-cell")).containsText("0 0 2 * * ?");
        assertThat(row.locator(".window-cell")).containsText("2h");
        assertThat(row.locator(".until")).containsText("when resolved");

        row.locator(".silence-expire").click();
        assertThat(row).hasCount(0);
    }

    @Test
    void anAlertMatchingASilenceMadeOnThePageIsMarkedSilenced() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        DashboardPage admin = signIn("admin");
        String symbol = TestEvents.marker("SIL");
        admin.page.fill("#silence-matchers", "rule=critical_error, symbol=" + symbol);
        admin.page.fill("#silence-ends-in", "1h");
        admin.page.fill("#silence-comment", "known outage of " + symbol);
        admin.page.click("#silence-submit");
        assertThat(admin.silenceRow(symbol)).hasCount(1);

        // the monitor raises critical_error for it within its evaluation interval, silenced, and pushes it
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.CRITICAL, Category.DATABASE,
                "replica lag on " + symbol, "OperationalError", "Traceback ...", symbol));
        Locator ours = admin.page.locator("#alerts-body tr", new Page.LocatorOptions().setHasText(symbol));
        Locator critical = ours.filter(new Locator.FilterOptions().setHasText("critical_error"));
        assertThat(critical).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        assertThat(critical).hasAttribute("data-silenced", "true");
        assertThat(critical.locator(".badge.silenced")).hasText("silenced");
        // the same error also raised database_error, which the silence does not match
        Locator database = ours.filter(new Locator.FilterOptions().setHasText("database_error"));
        assertThat(database).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        assertThat(database).hasAttribute("data-silenced", "false");
        assertThat(database.locator(".badge.silenced")).hasCount(0);

        admin.silenceRow(symbol).locator(".silence-expire").click();
        assertThat(admin.silenceRow(symbol)).hasCount(0);
    }

    @Test
    void anIncompleteSilenceIsExplainedOnThePage() {
        DashboardPage admin = signIn("admin");
        admin.page.click("#silence-submit");
        assertThat(admin.page.locator("#silence-error")).containsText("matcher");

        admin.page.fill("#silence-matchers", "rule=job_stale");
        admin.page.fill("#silence-comment", "no end given");
        admin.page.click("#silence-submit");
        assertThat(admin.page.locator("#silence-error")).containsText("ends");

        admin.page.fill("#silence-ends-in", "soon");
        admin.page.click("#silence-submit");
        assertThat(admin.page.locator("#silence-error")).containsText("30m");
        assertThat(admin.dialogs).isEmpty();
    }

    @Test
    void silenceFramesPublishedWithRedisCliComeAndGo() {
        DashboardPage viewer = signIn("viewer");
        String id = UUID.randomUUID().toString();
        String marker = TestEvents.marker("frame");
        RedisCli.publish(channels.notifications(), "{\"type\":\"silence\",\"action\":\"created\",\"silence\":"
                + silence(id, marker, "pending") + "}");
        Locator row = viewer.silenceRow(marker);
        assertThat(row).hasCount(1);
        assertThat(row.locator(".badge")).hasText("pending");
        assertThat(row).hasAttribute("data-id", id);

        RedisCli.publish(channels.notifications(), "{\"type\":\"silence\",\"action\":\"expired\",\"silence\":"
                + silence(id, marker, "expired") + "}");
        assertThat(row).hasCount(0);
    }

    @Test
    void deliveryFramesAppearLiveWithTheirStatus() {
        DashboardPage viewer = signIn("viewer");
        String id = "n-" + UUID.randomUUID();
        String marker = TestEvents.marker("delivery");
        String evil = "<img src=x onerror=\"window.__xss=1\"> 503 from hooks " + marker;
        Instant created = Instant.now();
        RedisCli.publish(channels.notifications(), delivery(id, "ops-" + marker, "retrying", 1, "HTTP 503", created, created));

        Locator row = viewer.deliveryRow(id);
        assertThat(row).hasCount(1);
        assertThat(row.locator(".receiver")).hasText("ops-" + marker);
        assertThat(row.locator(".notify-status")).hasText("retrying");
        assertThat(row.locator(".notify-status")).hasClass("badge notify-status notify-retrying");
        assertThat(row.locator(".attempts")).hasText("1");
        assertThat(viewer.page.locator("#deliveries-body tr").first()).hasAttribute("data-id", id);

        // the same notification, later: the row shows its newest state, not a second row
        RedisCli.publish(channels.notifications(), delivery(id, "ops-" + marker, "failed", 4, evil, created,
                created.plusSeconds(5)));
        assertThat(row.locator(".notify-status")).hasText("failed");
        assertThat(row.locator(".notify-status")).hasClass("badge notify-status notify-failed");
        assertThat(row.locator(".attempts")).hasText("4");
        assertThat(row.locator(".last-error")).hasText(evil);
        assertThat(row).hasCount(1);
        assertThat(row.locator(".alerts-cell")).containsText("job_stale");
        assertThat(viewer.page.locator("#deliveries-failed")).containsText("failed");

        // a late retrying frame of the same notification does not take it back
        RedisCli.publish(channels.notifications(), delivery(id, "ops-" + marker, "retrying", 3, "HTTP 503", created,
                created.plusSeconds(3)));
        RedisCli.publish(channels.notifications(), delivery("n-" + UUID.randomUUID(), "sentinel-" + marker, "sent", 1, null,
                Instant.now(), Instant.now()));
        assertThat(viewer.page.locator("#deliveries-body tr", new Page.LocatorOptions()
                .setHasText("sentinel-" + marker))).hasCount(1);
        assertThat(row.locator(".notify-status")).hasText("failed");

        assertThat(viewer.page.locator("#deliveries-body img")).hasCount(0);
        assertThat(viewer.page.evaluate("() => window.__xss === undefined")).isEqualTo(true);
        assertThat(viewer.dialogs).isEmpty();
    }

    @Test
    void aReceiverTestReachesTheNotificationsPanelLiveFromTheMonitor() {
        assertThat(RealServices.failure(MonitorClient.SERVICE)).as("monitor-service").isNull();
        DashboardPage viewer = signIn("viewer");
        Object known = viewer.page.evaluate("() => [...document.querySelectorAll('#deliveries-body tr')].map(tr => tr.dataset.id)");

        // the monitor records the attempt in its ledger and tells the live dashboards
        given().auth().preemptive().basic("admin", DashboardPage.password("admin"))
                .when().post("/api/receivers/" + RealServices.REFUSING_RECEIVER + "/test")
                .then().statusCode(502);

        viewer.page.waitForFunction("known => { const tr = document.querySelector('#deliveries-body tr');"
                + " return tr !== null && !known.includes(tr.dataset.id); }", known);
        Locator newest = viewer.page.locator("#deliveries-body tr").first();
        assertThat(newest.locator(".receiver")).hasText(RealServices.REFUSING_RECEIVER);
        assertThat(newest.locator(".notify-status")).hasText("failed");
        assertThat(newest).containsText("test");
        assertThat(newest.locator(".last-error")).not().isEmpty();
    }

    @Test
    void aSilencedAlertIsMarkedSilenced() {
        DashboardPage viewer = signIn("viewer");
        String silencedId = "alert-" + UUID.randomUUID();
        String loudId = "alert-" + UUID.randomUUID();
        String marker = TestEvents.marker("alert");
        RedisCli.publish(channels.alerts(), alert(silencedId, "silenced " + marker, "[\"s-1\"]"));
        RedisCli.publish(channels.alerts(), alert(loudId, "loud " + marker, "[]"));

        Locator silenced = viewer.alertRow(silencedId);
        assertThat(silenced).hasCount(1);
        assertThat(silenced.locator(".badge.silenced")).hasText("silenced");
        assertThat(silenced).hasAttribute("data-silenced", "true");
        assertThat(viewer.page.locator("#toasts .toast-silenced").first()).containsText("silenced " + marker);

        Locator loud = viewer.alertRow(loudId);
        assertThat(loud).hasCount(1);
        assertThat(loud.locator(".badge.silenced")).hasCount(0);
        assertThat(loud).hasAttribute("data-silenced", "false");
    }

    private static String silence(String id, String marker, String state) {
        return "{\"id\":\"" + id + "\",\"matchers\":[{\"label\":\"rule\",\"value\":\"" + marker + "\",\"regex\":false}],"
                + "\"starts_at\":\"" + Instant.now().plusSeconds(3600) + "\",\"ends_at\":\"" + Instant.now().plusSeconds(7200)
                + "\",\"comment\":\"" + marker + "\",\"created_by\":\"admin\",\"end_on_resolve\":false,\"cron\":null,"
                + "\"duration\":null,\"state\":\"" + state + "\",\"created_at\":\"" + Instant.now() + "\",\"expired_at\":null}";
    }

    private static String delivery(String id, String receiver, String status, int attempts, String lastError,
                                   Instant created, Instant updated) {
        String error = lastError == null ? "null" : "\"" + lastError.replace("\"", "\\\"") + "\"";
        return "{\"type\":\"delivery\",\"notification\":{\"notification_id\":\"" + id + "\",\"receiver\":\"" + receiver
                + "\",\"group_key\":\"route-0:{}\",\"kind\":\"firing\",\"status\":\"" + status + "\",\"attempts\":" + attempts
                + ",\"last_error\":" + error + ",\"alerts\":[{\"alert_id\":\"a1\",\"rule\":\"job_stale\",\"severity\":\"warning\","
                + "\"message\":\"prices stale\",\"key\":\"prices\"}],\"created_at\":\"" + created + "\",\"updated_at\":\""
                + updated + "\"}}";
    }

    private static String alert(String id, String message, String silencedBy) {
        String now = Instant.now().toString();
        return "{\"alert_id\":\"" + id + "\",\"rule\":\"job_stale\",\"severity\":\"warning\",\"message\":\"" + message
                + "\",\"key\":\"prices\",\"first_seen\":\"" + now + "\",\"last_seen\":\"" + now + "\",\"count\":1,"
                + "\"reminder\":false,\"timestamp\":\"" + now + "\",\"silenced\":" + !"[]".equals(silencedBy)
                + ",\"silenced_by\":" + silencedBy + "}";
    }
}
