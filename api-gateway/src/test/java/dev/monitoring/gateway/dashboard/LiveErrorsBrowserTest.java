package dev.monitoring.gateway.dashboard;

import dev.monitoring.gateway.TestEvents;
import com.microsoft.playwright.Locator;
import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.QuarkusTestResource;
import dev.monitoring.gateway.downstream.RealServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live error stream, banner, health and filters, in Chromium, against the running system. */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
class LiveErrorsBrowserTest extends BrowserTest {

    private DashboardPage dashboard;

    @BeforeEach
    void signInAsViewer() {
        dashboard = signIn("viewer");
    }

    @Test
    void errorPublishedWithRedisCliAppearsWithinOneSecond() {
        String marker = TestEvents.marker("live");
        String event = TestEvents.error(Severity.ERROR, Category.NETWORK, "connection reset " + marker);

        long start = System.nanoTime();
        RedisCli.publish(channels.errors(), event);
        dashboard.waitVisible(dashboard.streamRow(marker), 1000);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        Locator row = dashboard.streamRow(marker);
        assertThat(row.locator(".badge")).hasText("error");
        assertThat(row).containsText("network");
        assertThat(row).containsText("AAPL");
        assertThat(row).containsText("dashboard-test");
        assertThat(elapsedMs).isLessThan(1000);
        assertThat(dashboard.page.locator("#stream-body tr").first()).containsText(marker);
    }

    @Test
    void criticalRaisesTheBannerAndTurnsHealthRed() {
        String marker = TestEvents.marker("critical");
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.CRITICAL, Category.DATABASE, "disk full " + marker));

        Locator banner = dashboard.page.locator("#critical-banner");
        assertThat(banner).isVisible();
        assertThat(banner).containsText(marker);
        assertThat(dashboard.page.locator("#health")).hasAttribute("data-health", "red");
        assertThat(dashboard.page.locator("#toasts .toast-critical").first()).containsText(marker);

        dashboard.page.click("#critical-banner-dismiss");
        assertThat(banner).isHidden();

        // a fresh page gets red from the monitor's own health answer, not from the frame it saw; the live frame
        // comes from the gateway's own subscription, so first let the monitor commit its batch
        await().atMost(Duration.ofSeconds(10)).until(() -> given()
                .auth().preemptive().basic("viewer", DashboardPage.password("viewer"))
                .when().get("/api/errors/health")
                .then().statusCode(200)
                .extract().jsonPath().getInt("criticalErrors") >= 1);
        dashboard.reload();
        assertThat(dashboard.page.locator("#health")).hasAttribute("data-health", "red");
        assertThat(dashboard.dialogs).isEmpty();
    }

    @Test
    void categoryFilterHidesOtherCategories() {
        String marker = TestEvents.marker("filter");
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.PATTERN, "pattern " + marker));
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.DATABASE, "database " + marker));
        Locator pattern = dashboard.streamRow("pattern " + marker);
        Locator database = dashboard.streamRow("database " + marker);
        assertThat(pattern).isVisible();
        assertThat(database).isVisible();

        dashboard.filter("category", "pattern");
        assertThat(pattern).isVisible();
        assertThat(database).isHidden();
        assertThat(dashboard.page.locator("#stream-body tr:visible[data-category='database']")).hasCount(0);

        dashboard.filter("category", "all");
        assertThat(database).isVisible();

        dashboard.filter("severity", "critical");
        assertThat(pattern).isHidden();
        assertThat(database).isHidden();
    }

    @Test
    void xssPayloadIsShownAsTextAndNoScriptRuns() {
        String marker = TestEvents.marker("xss");
        String payload = "<img src=x onerror=\"window.__xss=1;alert(1)\"><script>window.__xss=2</script> " + marker;
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.VALIDATION, payload,
                "<b>Evil</b>", "<script>window.__xss=3</script>"));

        Locator row = dashboard.streamRow(marker);
        assertThat(row.locator("td.message")).hasText("<b>Evil</b>: " + payload);
        assertThat(dashboard.page.locator("#toasts .toast-error").first()).containsText(payload);
        assertThat(dashboard.page.locator("#stream-body :is(img, script, b), #toasts :is(img, script, b)")).hasCount(0);

        row.click(); // the detail renders the stored record, traceback included, as text too
        Locator detail = dashboard.page.locator("#detail");
        assertThat(detail.locator("#detail-traceback")).hasText("<script>window.__xss=3</script>");
        assertThat(detail.locator("#detail-title")).hasText("<b>Evil</b>");
        assertThat(detail.locator("img, script, b")).hasCount(0);

        assertThat(dashboard.page.evaluate("() => window.__xss === undefined")).isEqualTo(true);
        assertThat(dashboard.dialogs).isEmpty();
        assertThat(dashboard.consoleErrors).isEmpty();
    }

    /**
     * A right-to-left override in a message would reverse what follows it in its cell ("price 001 ok" could read as
     * "price 100 ok"): bidirectional controls are written out, as the services' logs write them, in the row, the toast,
     * the detail and its traceback.
     */
    @Test
    void bidirectionalControlsAreWrittenOutNotObeyed() {
        String marker = TestEvents.marker("bidi");
        String message = "price \u202E001\u202C ok \u2066x\u2069 " + marker;
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.VALIDATION, message,
                "Spoof\u202EError", "Traceback \u202Eeno\u202C"));

        String written = "price \\u202e001\\u202c ok \\u2066x\\u2069 " + marker;
        Locator row = dashboard.streamRow(marker);
        assertThat(row.locator("td.message")).hasText("Spoof\\u202eError: " + written);
        assertThat(dashboard.page.locator("#toasts .toast-error").first()).containsText(written);
        assertThat(dashboard.page.locator("#stream-body")).not().containsText("\u202E");

        row.click();
        Locator detail = dashboard.page.locator("#detail");
        assertThat(detail.locator("#detail-title")).hasText("Spoof\\u202eError");
        assertThat(detail.locator("#detail-traceback")).hasText("Traceback \\u202eeno\\u202c");
        assertThat(dashboard.consoleErrors).isEmpty();
    }

    @Test
    void clickingAnErrorOpensItsDetailWithTracebackAndContext() {
        String marker = TestEvents.marker("detail");
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.INDICATOR, "rsi failed " + marker,
                "ZeroDivisionError", "Traceback (most recent call last):\n  File \"rsi.py\", line 42\n" + marker));

        dashboard.streamRow(marker).click();

        Locator detail = dashboard.page.locator("#detail");
        assertThat(detail).isVisible();
        assertThat(detail.locator("#detail-title")).hasText("ZeroDivisionError");
        assertThat(detail.locator("#detail-traceback")).containsText("rsi.py\", line 42");
        assertThat(detail.locator("#detail-context")).containsText("dashboard-test");
        dashboard.page.click("#detail-close");
        assertThat(detail).isHidden();
    }

    /**
     * The README's first command publishes an error without an error_id: the gateway and the monitor each generate
     * one, so the live row and the stored copy have different ids. Its row opens the stored detail all the same, and a
     * refill after a reconnect (which asks from this very event's timestamp) does not list it twice.
     */
    @Test
    void anErrorWithoutAnIdOpensItsStoredDetailAndStaysOneRowAfterARefill() {
        // keeps the page's sockets at hand, to drop the live connection as a network would
        context.addInitScript("(() => { const W = window.WebSocket; window.__sockets = [];"
                + " window.WebSocket = class extends W { constructor(...a) { super(...a); window.__sockets.push(this); } }; })()");
        dashboard.reload();
        String marker = TestEvents.marker("noid");
        RedisCli.publish(channels.errors(), "{\"severity\":\"error\",\"category\":\"network\",\"error_type\":\"NoIdError\","
                + "\"error_message\":\"published without an id " + marker + "\",\"timestamp\":\""
                // stamped by the producer, so that both services keep the same time: the refill asks from it
                + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + "\"}");
        dashboard.waitVisible(dashboard.streamRow(marker), 5000);
        String liveId = dashboard.streamRow(marker).getAttribute("data-id");
        org.assertj.core.api.Assertions.assertThat(liveId).startsWith("gen-");
        await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().preemptive().basic("viewer", DashboardPage.password("viewer"))
                .get("/api/errors/recent?limit=100").asString().contains(marker));

        dashboard.streamRow(marker).click();
        Locator detail = dashboard.page.locator("#detail");
        assertThat(detail.locator("#detail-title")).hasText("NoIdError");
        assertThat(detail.locator("#detail-fields")).containsText(marker);
        dashboard.page.click("#detail-close");

        // the live connection drops; back live, the page asks for what came from its newest timestamp: this event
        dashboard.page.waitForResponse(r -> r.url().contains("api/errors/recent?limit=100&since="),
                () -> dashboard.page.evaluate("window.__sockets.forEach(s => s.close())"));
        dashboard.waitUntilLive();
        assertThat(dashboard.streamRow(marker)).not().hasAttribute("data-id", liveId); // known by the monitor's id now
        assertThat(dashboard.streamRow(marker)).hasCount(1);
        String storedId = dashboard.streamRow(marker).getAttribute("data-id");
        org.assertj.core.api.Assertions.assertThat(storedId).startsWith("gen-").isNotEqualTo(liveId);
    }

    @Test
    void aBurstIsFoldedAndEveryErrorIsCountedInCountersAndChart() {
        String marker = TestEvents.marker("burst");
        String message = "quote feed timeout " + marker;
        String counterBefore = dashboard.page.textContent("#count-error");
        long chartBefore = Long.parseLong(dashboard.page.getAttribute("#timeline-chart", "data-total"));
        int burst = 60;
        // identical errors (same severity, category, type, component, symbol, message) in one burst: foldable
        RedisCli.publishAll(channels.errors(), IntStream.range(0, burst)
                .mapToObj(i -> TestEvents.error(Severity.ERROR, Category.NETWORK, message)).toList());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dashboard.errorsShown(marker)).isEqualTo(burst));
        assertThat(dashboard.streamRow(marker).count()).isLessThan(burst);
        assertThat(dashboard.page.locator("#stream-body tr .fold-count").first()).isVisible();
        assertThat(parse(dashboard.page.textContent("#count-error")) - parse(counterBefore)).isGreaterThanOrEqualTo(burst);
        // the chart's current bucket grew by the burst too (it repaints at most once a second)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                Long.parseLong(dashboard.page.getAttribute("#timeline-chart", "data-total")) - chartBefore)
                .isGreaterThanOrEqualTo(burst));
    }

    /**
     * A folded live row shows the newest error's id; the errors folded into it are stored under ids of their own. A
     * fill from REST that lands after the burst (the one after a page load, or after a reconnect) must not list them
     * again: a burst of 60 showed as 83 once the page's first fill came late. Stamped with one time by the producer,
     * the whole burst is newer than or as new as the page's newest, so the fill after a reconnect asks for all of it.
     */
    @Test
    void aFoldedBurstIsCountedOnceWhenARefillBringsItsStoredErrors() {
        context.addInitScript("(() => { const W = window.WebSocket; window.__sockets = [];"
                + " window.WebSocket = class extends W { constructor(...a) { super(...a); window.__sockets.push(this); } }; })()");
        dashboard.reload();
        String marker = TestEvents.marker("refold");
        int burst = 60;
        java.time.Instant at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        RedisCli.publishAll(channels.errors(), IntStream.range(0, burst)
                .mapToObj(i -> TestEvents.errorAt(Severity.ERROR, Category.NETWORK, "refold " + marker, at)).toList());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dashboard.errorsShown(marker)).isEqualTo(burst));
        org.assertj.core.api.Assertions.assertThat(dashboard.streamRow(marker).count()).as("rows: folded").isLessThan(burst);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().preemptive().basic("viewer", DashboardPage.password("viewer"))
                .get("/api/errors/recent?limit=100").asString().split(marker, -1).length - 1 >= burst);

        dashboard.page.waitForResponse(r -> r.url().contains("api/errors/recent?limit=100&since="),
                () -> dashboard.page.evaluate("window.__sockets.forEach(s => s.close())"));
        dashboard.waitUntilLive();
        org.assertj.core.api.Assertions.assertThat(dashboard.errorsShown(marker)).as("errors shown after the refill").isEqualTo(burst);
    }

    /** A message of 20,000 characters takes a few lines of the list, not the list: its detail shows it whole. */
    @Test
    void aVeryLongMessageIsClampedInTheListAndWholeInItsDetail() {
        String marker = TestEvents.marker("long");
        String message = "long " + marker + " " + "word ".repeat(4_000);
        RedisCli.publish(channels.errors(), TestEvents.error(Severity.ERROR, Category.NETWORK, message));
        Locator row = dashboard.streamRow(marker);
        dashboard.waitVisible(row, 5000);
        org.assertj.core.api.Assertions.assertThat(row.boundingBox().height).as("row height, px").isLessThan(150);
        org.assertj.core.api.Assertions.assertThat(row.locator(".message-text").textContent()).contains(message.strip());
        row.click();
        assertThat(dashboard.page.locator("#detail-fields")).containsText(message.strip());
    }

    /**
     * Both orders of a burst's two copies, driven on the stream module itself in Chromium (the order is a race of the
     * network otherwise): a folded frame of 5 then the refill's 5 stored errors, and the refill's first 3 then the
     * folded frame of 5 and the refill's last 2. Each shows the 5 errors once, and a later error still gets a row.
     */
    @Test
    void aFoldedFrameAndTheStoredErrorsItStandsForCountOnceInEitherOrder() {
        com.microsoft.playwright.Page page = context.newPage();
        page.navigate(root + "login.html");
        Object shown = page.evaluate("""
                async () => {
                  document.body.innerHTML = '<table><tbody id="stream-body"></tbody></table><div id="severity-filters"></div>'
                    + '<div id="category-filters"></div><span id="stream-size"></span><p id="stream-empty"></p><p id="stream-dropped"></p>';
                  const { ErrorStream } = await import('/js/error-stream.js');
                  const error = (i, ms) => ({ id: 'e' + i, timestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms)).toISOString(),
                    type: 'FeedError', message: 'burst', severity: 'error', category: 'network', symbol: 'AAPL', component: 'feed' });
                  const count = stream => stream.entries.reduce((sum, e) => sum + Number(
                    e.row.querySelector('.fold-count')?.textContent.slice(1) ?? 1), 0);
                  const result = {};

                  let stream = new ErrorStream(() => {});
                  stream.add(error(5, 50), 5);
                  for (let i = 1; i <= 5; i++) stream.add(error(i, i * 10), 1, true);
                  result.liveFirst = [count(stream), stream.entries.length];

                  document.getElementById('stream-body').replaceChildren();
                  stream = new ErrorStream(() => {});
                  for (let i = 1; i <= 3; i++) stream.add(error(i, i * 10), 1, true);
                  stream.add(error(5, 50), 5);
                  for (let i = 1; i <= 5; i++) stream.add(error(i, i * 10), 1, true);
                  result.storedFirst = [count(stream), stream.entries.length];
                  stream.add(error(6, 60), 1, true);
                  result.afterANewOne = [count(stream), stream.entries.length];
                  return result;
                }""");
        org.assertj.core.api.Assertions.assertThat(shown).asString()
                .isEqualTo("{liveFirst=[5, 1], storedFirst=[5, 1], afterANewOne=[6, 2]}");
    }

    private static long parse(String counter) {
        return Long.parseLong(counter.replaceAll("[^0-9]", ""));
    }
}
