package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.testsupport.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two runner-service instances with the same jobs, the same database and the same Redis lock, both on a fast cron
 * and both asked over REST at the same instant: the lock must give one batch run at a time across the two, and no
 * job target may be executed twice in one run.
 */
class RunnerScaleOutTest {
    private static final String LOCK = "test.system:batch-run-lock";
    /** 4 untargeted jobs + 1 job over 2 symbols x 2 timeframes = 8 executions per run (+ scale-slow once a year). */
    private static final int EXECUTIONS_PER_RUN = 8;
    private static final String JOBS = """
            defaults:
              cron: "* * * * * ?"
              timeout: 30s
              max_attempts: 1
              category: database
            jobs:
              - {name: scale-a, demo: {duration: 300ms, records: 10}}
              - {name: scale-b, demo: {duration: 300ms, records: 10}}
              - {name: scale-c, demo: {duration: 300ms, records: 10}}
              - {name: scale-d, demo: {duration: 300ms, records: 10}}
              - name: scale-targets
                demo: {duration: 200ms, records: 5}
                targets: {symbols: [AAPL, MSFT], timeframes: [1d, 1h]}
              - name: scale-slow
                cron: "0 0 0 1 1 ?"
                demo: {duration: 4s, records: 1}
            """;

    private static List<ServiceInstance> runners;
    private static Resp.Subscription executions;
    private static final List<Integer> concurrentPostStatuses = new ArrayList<>();

    @BeforeAll
    static void startTwoRunners() throws IOException {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("runner.batch_run", "runner.execution", "runner.job_state");
        try (Resp redis = Resp.local()) {
            redis.command("DEL", LOCK);
        }
        Path jobs = Path.of("target", "scale-out-jobs.yml").toAbsolutePath();
        Files.writeString(jobs, JOBS);
        executions = Resp.subscribe(ServiceInstance.EXECUTIONS);
        runners = ServiceInstance.startAll("runner-service", 2, ServiceInstance.env(
                "JOBS_FILE", jobs.toString(), "RUNNER_CRON", "*/5 * * * * ?", "RUNNER_FULL_RUN", "false",
                "RUNNER_LOCK_KEY", LOCK, "RUNNER_CONCURRENCY", "2", "RUNNER_BATCH_SIZE", "25"));
    }

    @AfterAll
    static void stopRunners() {
        if (executions != null) {
            executions.close();
        }
        ServiceInstance.killAll(runners);
    }

    @Test
    void oneBatchRunAtATimeAcrossReplicasAndNoJobTwiceInARun() throws Exception {
        // Both replicas asked at the same instant, several times, while their crons fire too
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(700)).until(() -> {
            List<Integer> statuses = postAtOnce();
            synchronized (concurrentPostStatuses) {
                concurrentPostStatuses.addAll(statuses);
            }
            assertThat(statuses).as("simultaneous POST /api/runs on both replicas").containsAnyOf(409)
                    .allMatch(s -> s == 202 || s == 409);
            return statuses.contains(202);
        });
        await().atMost(Duration.ofSeconds(60)).until(() ->
                SystemDatabase.count("SELECT count(*) FROM runner.batch_run WHERE status <> 'running'") >= 4);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                SystemDatabase.count("SELECT count(*) FROM runner.batch_run WHERE status = 'running'") == 0);
        List<Map<String, Object>> runs = SystemDatabase.query(
                "SELECT id, status, trigger, started_at, finished_at, total_jobs FROM runner.batch_run ORDER BY started_at");

        assertThat(runs).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < runs.size(); i++) {
            Timestamp previousEnd = (Timestamp) runs.get(i - 1).get("finished_at");
            Timestamp start = (Timestamp) runs.get(i).get("started_at");
            assertThat(previousEnd).as("run %s finished", runs.get(i - 1).get("id")).isNotNull();
            assertThat(start).as("run %s starts after run %s ended", runs.get(i).get("id"), runs.get(i - 1).get("id"))
                    .isAfterOrEqualTo(previousEnd);
        }
        List<Map<String, Object>> twice = SystemDatabase.query("""
                SELECT batch_run_id, job, symbol, timeframe, count(*) AS n FROM runner.execution
                GROUP BY batch_run_id, job, symbol, timeframe HAVING count(*) > 1""");
        assertThat(twice).as("job targets executed twice in one run").isEmpty();
        assertThat(SystemDatabase.count("SELECT count(*) FROM runner.execution")).isGreaterThanOrEqualTo(EXECUTIONS_PER_RUN);
        assertThat(runs).allSatisfy(run -> assertThat(run.get("status")).isEqualTo("completed"));

        assertEachRunBelongsToOneReplica(runs);
        assertEventsNameEachRunAndJobOnce(runs);
    }

    @Test
    void everyReplicaShowsTheRunInProgress() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                Http.post(runners.get(0).url() + "/api/runs?job=scale-slow").statusCode() == 202);
        JsonNode onOwner = Http.json(runners.get(0).url() + "/api/runs/current");
        JsonNode onOther = Http.json(runners.get(1).url() + "/api/runs/current");

        assertThat(onOwner.path("status").asText()).isEqualTo("running");
        assertThat(onOther.path("status").asText()).as("/api/runs/current on the other replica: %s", onOther).isEqualTo("running");
        assertThat(onOther.path("batch_run_id").asText()).isEqualTo(onOwner.path("batch_run_id").asText());
    }

    /** The replica that started a run logs "Batch run <id> started": exactly one replica per run. */
    private static void assertEachRunBelongsToOneReplica(List<Map<String, Object>> runs) throws IOException {
        Map<String, Integer> runsPerReplica = new HashMap<>();
        for (Map<String, Object> run : runs) {
            String id = String.valueOf(run.get("id"));
            int owners = 0;
            for (ServiceInstance runner : runners) {
                if (Files.readString(Path.of("target", runner.name() + ".log")).contains("Batch run " + id + " started")) {
                    owners++;
                    runsPerReplica.merge(runner.name(), 1, Integer::sum);
                }
            }
            assertThat(owners).as("replicas that started run %s", id).isEqualTo(1);
        }
        System.out.println("RunnerScaleOutTest: runs per replica " + runsPerReplica + ", simultaneous POST statuses "
                + concurrentPostStatuses);
    }

    private static void assertEventsNameEachRunAndJobOnce(List<Map<String, Object>> runs) {
        await().atMost(Duration.ofSeconds(10)).until(() -> runStartedIds().size() >= runs.size());
        Map<String, Integer> started = new HashMap<>();
        Map<String, Integer> jobStarted = new HashMap<>();
        for (String message : executions.messages()) {
            JsonNode event = read(message);
            String type = event.path("event").asText();
            if (type.equals("run.started")) {
                started.merge(event.path("batch_run_id").asText(), 1, Integer::sum);
            } else if (type.equals("job.started")) {
                jobStarted.merge(event.path("batch_run_id").asText() + "/" + event.path("job").asText() + "/"
                        + event.path("symbol").asText() + "/" + event.path("timeframe").asText() + "/"
                        + event.path("attempt").asText(), 1, Integer::sum);
            }
        }
        assertThat(started.keySet()).containsExactlyInAnyOrderElementsOf(runs.stream().map(r -> String.valueOf(r.get("id"))).toList());
        assertThat(started).allSatisfy((id, n) -> assertThat(n).as("run.started events of %s", id).isEqualTo(1));
        assertThat(jobStarted).isNotEmpty().allSatisfy((key, n) -> assertThat(n).as("job.started events of %s", key).isEqualTo(1));
    }

    private static List<String> runStartedIds() {
        return executions.messages().stream().map(RunnerScaleOutTest::read)
                .filter(e -> e.path("event").asText().equals("run.started")).map(e -> e.path("batch_run_id").asText()).toList();
    }

    /** POST /api/runs on every replica at the same instant; the statuses they answered. */
    private static List<Integer> postAtOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (ServiceInstance runner : runners) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Http.post(runner.url() + "/api/runs").statusCode();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> answer : answers) {
            statuses.add(answer.get(30, TimeUnit.SECONDS));
        }
        return statuses;
    }

    private static JsonNode read(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text);
        }
    }
}
