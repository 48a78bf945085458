package dev.monitoring.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.model.EventCodec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each record of the contract, filled as a real answer would be, must serialise to its committed example
 * ({@code src/test/resources/contract/<name>.json}): the field names, which ones are left out when empty and which
 * stay as {@code null}, and the value types. A change to a shape has to change its example too, in plain sight.
 * A missing example is written (under target/) and the test fails, so a new record gets one by review, not by default.
 */
class ContractExamplesTest {
    private static final ObjectMapper JSON = new EventCodec().mapper();
    private static final Instant T0 = Instant.parse("2026-11-30T16:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-30T16:05:00Z");

    static Map<String, Object> examples() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("ApiError", new ApiError("'limit' must be between 1 and 1000, got 5000", "limit"));
        e.put("ApiError-plain", ApiError.of("no error with error_id 'x'"));
        e.put("ErrorSummary", new ErrorSummary("e-1", "PatternDetectionError", "no doji", "error", "pattern", "AAPL", "pattern_detector", T0));
        e.put("ErrorDetail", new ErrorDetail("e-1", "e-1", "PatternDetectionError", "no doji", "Traceback ...", "error", "pattern",
                "pattern_detector", "detect", "AAPL", "1d", JSON.valueToTree(Map.of("component", "pattern_detector",
                "metadata", Map.of("attempt", 2))), "3b07f7", T0, T1));
        e.put("ErrorStatistics", new ErrorStatistics("last_24_hours", new TreeMap<>(Map.of("critical", 1L, "error", 4L)),
                new TreeMap<>(Map.of("pattern", 5L)), 5));
        e.put("ErrorTimeline", new ErrorTimeline("last_1_hours", 60, List.of(new ErrorTimeline.Bucket(T0, 0, 1, 2, 3, 4))));
        e.put("ErrorHealth", new ErrorHealth("critical", "red", 1, 5, T1));
        e.put("ErrorGroup", new ErrorGroup("3b07f7", "PatternDetectionError", "pattern_detector", "detect", "no doji", "error",
                "pattern", 12, T0, T1, "e-12", "unresolved", null, null, null, T1, null, null, null));
        ErrorGroup ignored = new ErrorGroup("3b07f7", "PatternDetectionError", "pattern_detector", "detect", "no doji", "error",
                "pattern", 12, T0, T1, "e-12", "ignored", T1, T0, null, T1, new ErrorGroup.Ignore(null, 100L, null), null, null);
        e.put("ErrorGroup-ignored", ignored);
        e.put("ErrorGroupDetail", new ErrorGroupDetail(ignored, 24, List.of(new ErrorGroupDetail.Bucket(T0, 12)),
                List.of(), List.of(new ErrorGroupDetail.Count("AAPL", 9)), List.of(new ErrorGroupDetail.Count("detect", 12))));
        e.put("ErrorGroup-message", new ErrorGroup.Message("group", "ignored", ignored));
        e.put("ErrorGroupIndex", new ErrorGroupIndex(List.of(new dev.monitoring.model.grouping.FingerprintRule("feed-timeouts",
                null, "FeedClient", null, "timed out")), Map.of("9c1d2e", "3b07f7"), List.of("3b07f7")));
        e.put("ErrorGroupActivity", new ErrorGroupActivity(7, "3b07f7", "ignored", "admin", "known noisy feed",
                Map.of("more_than", 100), T1));
        RunExecution run = new RunExecution("run-1", T0, T1, 300.0, 10, 9, 1, 1200L, "completed", null, 90.0);
        e.put("Executions", new Executions(T1, List.of(run)));
        CheckSummary checks = new CheckSummary(3, new java.util.TreeMap<>(Map.of("up", 1, "late", 1, "blocked", 1)), List.of(
                new CheckSummary.Trouble("load-prices", "late", "no start within 600 s of 2026-11-30T05:00:00Z"),
                new CheckSummary.Trouble("nightly-report", "blocked", "waiting for load-prices (late)")));
        e.put("SchedulerHealth", new SchedulerHealth("degraded", T1, run, 2, List.of(new JobFailure("AAPL", "1d", "daily-bars",
                "exit code 2", T0)), 3, checks));
        e.put("SchedulerHealth-no-run", new SchedulerHealth("healthy", T1, null, 0, List.of(), 0, new CheckSummary(0, Map.of(), List.of())));
        e.put("FreshnessReport", new FreshnessReport(T1, new FreshnessReport.Summary(1, 0, 1, 0, 2), Map.of(
                "fresh", List.of(new FreshnessReport.Target("AAPL", "1d", "daily-bars", T0, 300L, "fresh", 10)),
                "stale", List.of(new FreshnessReport.Target(null, null, "nightly-backfill", null, null, "missing", 0))), checks));
        e.put("JobStatus", new JobStatus("daily-bars", "failure", T0, false, 0.1, "exit code 2"));
        e.put("Alert-fired", Alert.of("a-1", "job_stale", "warning", "Job daily-bars is stale", "job_stale:daily-bars||", T0, T1, 1,
                false, T1).labelled(Map.of("rule", "job_stale", "severity", "warning", "job", "daily-bars"), List.of()));
        e.put("Alert-reminder", Alert.of("a-1", "job_stale", "warning", "Job daily-bars is stale", "job_stale:daily-bars||", T0, T1, 3,
                true, T1));
        e.put("Alert-resolved", Alert.of("a-1", "job_stale", "warning", "Job daily-bars is stale", "job_stale:daily-bars||", T0, T1, 1,
                false, T1).labelled(Map.of("rule", "job_stale"), List.of("s-1")).resolvedAt(T1));
        e.put("StoredAlert", new StoredAlert("a-1", "critical_error", "critical", "Critical error: disk full", "critical_error:3b07",
                T0, T1, 2, true, T1, 1, Map.of("rule", "critical_error", "severity", "critical"), false, List.of(), null));
        DeliveryRecord delivery = new DeliveryRecord("n-1", "ops-webhook", "route 0 {rule=critical_error}", "firing", "retrying", 2,
                "HTTP 503 from hooks.example.com", List.of(new DeliveryRecord.Brief("a-1", "critical_error", "critical",
                "Critical error: disk full", "critical_error:3b07")), T0, T1);
        e.put("DeliveryRecord", delivery);
        e.put("DeliveryRecord-message", DeliveryRecord.Message.of(new DeliveryRecord("n-1", "ops-webhook",
                "route 0 {rule=critical_error}", "firing", "sent", 1, null, List.of(), null, T1)));
        e.put("ReceiverInfo-webhook", new ReceiverInfo("ops-webhook", "webhook", "https://hooks.example.com", null, 5000, true));
        e.put("ReceiverInfo-email", new ReceiverInfo("ops-mail", "email", "smtp://127.0.0.1:25", List.of("ops@example.com"), 10000, null));
        e.put("ReceiverTestResult", new ReceiverTestResult("ops-webhook", "webhook", true, 200, "HTTP 200", 12));
        SilenceView silence = new SilenceView("s-1", List.of(new SilenceView.Matcher("symbol", "AAPL|MSFT", true)), T0, null,
                "nightly maintenance", "admin", false, "0 0 2 * * ?", "PT2H", "active", false, T0, null);
        e.put("SilenceView", silence);
        e.put("SilenceView-message", new SilenceView.Message("silence", "created", silence));
        e.put("CheckView", new CheckView("nightly-backfill", "0 6 * * *", "Europe/Berlin", null, 600, 1800L, 5L, List.of("load-prices"),
                "late", "no start within 600 s of 2026-11-30T05:00:00Z", false, "8kC2yQJc0sVbX1tq9pWm3A",
                "https://monitor.example.com/ping/8kC2yQJc0sVbX1tq9pWm3A", "Qm4xv0Zc7yKp2LwR5tN8sA", "api", T0, T0, T0, T1, "success", 0, 312_000L,
                T1, List.of(298_000L, 305_000L, 312_000L)));
        e.put("DeadLetter", new DeadLetter(7, "errors:stream", "1700000000000-0", 6, "not valid JSON", "{oops", T1));
        e.put("RejectedEvent", new RejectedEvent(9, "errors", "missing field 'error_message'", "{}", T1));
        RunSummary summary = new RunSummary("r-1", "completed", "manual", null, "2026-11-30T16:00:00Z", "2026-11-30T16:05:00Z", 300.0,
                new JobCounts(3, 3, 1), 120, null);
        e.put("RunProgress", new RunProgress("running", "r-1", "2026-11-30T16:00:00Z", 12.5, new JobCounts(4, 1, 0), "daily-bars",
                "AAPL 1d", 25.0));
        e.put("RunProgress-starting", RunProgress.startingUp("r-1"));
        e.put("RunIdle", RunIdle.NOW);
        e.put("RunHistory", new RunHistory(List.of(summary), 1, 20));
        e.put("RunDetail", new RunDetail(summary, List.of(new RunDetail.Result("x-1", "daily-bars", "AAPL", "1d", "failed", 3,
                "2026-11-30T16:00:00Z", "2026-11-30T16:00:02Z", 2.0, null, 2, "ExitCode", "exit code 2"))));
        e.put("RunStarted", new RunStarted("started", "r-1", "/api/runs/current"));
        e.put("RunConflict", new RunConflict("a run is active", "a run is active", "r-0",
                "POST /api/runs?force=true stops the active run of this replica and starts a new one"));
        e.put("UnknownJob", new UnknownJob("unknown job 'nope'", List.of("daily-bars")));
        e.put("RunCancel", new RunCancel("cancelling", "r-1"));
        CatalogJobs.Target target = new CatalogJobs.Target("AAPL", "1d", "completed", "2026-11-30T16:00:00Z", "2026-11-30T16:00:00Z", 0,
                "2026-12-01T16:00:00Z");
        e.put("CatalogJobs", new CatalogJobs(List.of(new CatalogJobs.Job("daily-bars", "demo", "indicator", "0 0 6 * * ?",
                "2026-12-01T06:00:00Z", null, 30.0, 3, 1.0, null, 3600L, 86400L, null, null, List.of(target))), 1));
        e.put("CatalogJobs-admin", new CatalogJobs(List.of(new CatalogJobs.Job("export", "command", "database", "0 0 6 * * ?",
                null, null, 30.0, 1, 1.0, "/data/out/*.csv", null, null, List.of("sh", "-c", "exit 0"),
                new TreeMap<>(Map.of("MODE", "full")), List.of())), 1));
        return e;
    }

    @TestFactory
    Stream<DynamicTest> everyRecordSerialisesToItsCommittedExample() {
        return examples().entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            // as a client reads it: written, then parsed (so 5 is 5 whether the record holds an int or a long)
            JsonNode actual = JSON.readTree(JSON.writeValueAsString(entry.getValue()));
            String resource = "/contract/" + entry.getKey() + ".json";
            try (InputStream in = ContractExamplesTest.class.getResourceAsStream(resource)) {
                if (in == null) {
                    Path written = Path.of("target", "contract-new", entry.getKey() + ".json");
                    Files.createDirectories(written.getParent());
                    Files.writeString(written, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
                    throw new AssertionError("no committed example " + resource + ": review " + written + " and commit it");
                }
                assertThat(actual).as(entry.getKey()).isEqualTo(JSON.readTree(in));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }));
    }
}
