package dev.monitoring.system.services;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, fault test 2 with the real runner: a batch run of 120 failing job targets publishes through the runner's
 * own publisher (an error and two execution events per target) while a test-owned redis-server (AOF on) is stopped
 * and started again. Once both are back, the monitor has every one of them: the runner's outbox held what it could
 * not send, the stream kept what Redis had accepted while the monitor was not yet subscribed again.
 */
class RunnerRedisRestartTest {
    private static final String JOB = "aof-restart";
    private static final List<String> SYMBOLS = IntStream.rangeClosed(1, 30).mapToObj(i -> "S" + i).toList();
    private static final int TARGETS = SYMBOLS.size() * 4;
    private static OwnRedis redis;
    private static ServiceInstance monitor;
    private static ServiceInstance runner;

    @AfterAll
    static void stop() {
        List<ServiceInstance> started = new java.util.ArrayList<>();
        if (runner != null) {
            started.add(runner);
        }
        if (monitor != null) {
            started.add(monitor);
        }
        ServiceInstance.killAll(started);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyEventOfARunIsStoredWhenRedisRestartsInTheMiddleOfIt() throws IOException, InterruptedException {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("monitor.error_logs", "monitor.error_ids", "monitor.error_groups", "monitor.error_counts",
                "monitor.error_counts_hourly", "monitor.executions", "monitor.execution_keys", "monitor.freshness", "monitor.dead_letters",
                "runner.batch_run", "runner.execution", "runner.job_state", "monitor.checks", "monitor.check_runs");
        Path jobs = Path.of("target", "aof-restart-jobs.yml").toAbsolutePath();
        Files.writeString(jobs, """
                jobs:
                  - name: %s
                    cron: "0 0 0 1 1 ?"
                    max_attempts: 1
                    category: database
                    demo: {duration: 300ms, records: 1, failure_rates: {exception: 1.0}}
                    targets: {symbols: [%s], timeframes: [1m, 5m, 1h, 1d]}
                """.formatted(JOB, SYMBOLS.stream().collect(Collectors.joining(", "))));
        redis = new OwnRedis();
        redis.start();
        String redisUrl = "redis://127.0.0.1:" + redis.port;
        // the monitor comes back 4 s after it lost Redis, the runner within 1 s of Redis' return: what the runner's
        // outbox sends meanwhile reaches no subscriber and only the stream keeps it (with the monitor back first, the
        // test passed with the runner's stream switched off)
        monitor = ServiceInstance.start("monitor-service", "monitor-aof", ServiceInstance.env(
                "REDIS_URL", redisUrl, "ALERTS_EVALUATE_EVERY", "off",
                "REDIS_RECONNECT_INITIAL_DELAY", "4s", "REDIS_RECONNECT_MAX_DELAY", "4s",
                "STREAM_CLAIM_MIN_IDLE", "2s", "MONITOR_CHECKS_RUNNER_EVERY", "1s"));
        runner = ServiceInstance.start("runner-service", "runner-aof", ServiceInstance.env(
                "REDIS_URL", redisUrl, "JOBS_FILE", jobs.toString(), "RUNNER_CRON", "off", "RUNNER_FULL_RUN", "false",
                "RUNNER_CONCURRENCY", "4", "RUNNER_BATCH_SIZE", "500"));
        monitor.awaitReady();
        runner.awaitReady();
        // the runner declares its job's check at start-up, and the monitor makes it within its reading period
        await().atMost(Duration.ofSeconds(20)).until(() -> SystemDatabase.count(
                "SELECT count(*) FROM monitor.checks WHERE name = '" + JOB + "' AND source = 'runner'") == 1);

        var started = Http.post(runner.url() + "/api/runs?job=" + JOB);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String run = Http.JSON.readTree(started.body()).path("batch_run_id").asText();
        String jobRows = "SELECT count(*) FROM monitor.executions WHERE kind = 'job' AND batch_run_id = '" + run + "'";

        // a quarter of the run is through when Redis goes away for about 1.5 s; the run carries on meanwhile
        await().atMost(Duration.ofSeconds(30)).until(() -> SystemDatabase.count(jobRows) >= TARGETS / 4);
        redis.stop();
        long storedWhenStopped = SystemDatabase.count(jobRows);
        Thread.sleep(1500); // the length of the outage, not a wait for a result
        redis.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(runStatus(run)));
        assertThat(storedWhenStopped).as("job executions stored when Redis stopped").isLessThan(TARGETS);
        assertThat(SystemDatabase.count("SELECT count(*) FROM runner.execution WHERE batch_run_id = '" + run + "' AND status = 'failed'"))
                .as("the runner's own record").isEqualTo(TARGETS);

        await().atMost(Duration.ofSeconds(60)).until(() -> SystemDatabase.count(jobRows + " AND status = 'failed'") >= TARGETS);
        assertThat(SystemDatabase.count(jobRows)).isEqualTo(TARGETS);
        assertThat(SystemDatabase.count("SELECT count(*) FROM monitor.error_logs WHERE operation = '" + JOB + "'"))
                .as("one stored error per failed target").isEqualTo(TARGETS);
        assertThat(SystemDatabase.count("SELECT sum(count) FROM monitor.error_groups WHERE operation = '" + JOB + "'"))
                .as("each error counted once").isEqualTo(TARGETS);
        await().atMost(Duration.ofSeconds(20)).until(() -> SystemDatabase.count(
                "SELECT count(*) FROM monitor.executions WHERE kind = 'run' AND batch_run_id = '" + run + "' AND status <> 'running'") == 1);
        // the job's check, declared by the runner and made by the monitor, took the run's events as its signals: the
        // attempts failed without a retry, so the last execution's failure is the check's
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode check = Http.json(monitor.url() + "/api/checks/" + JOB);
            assertThat(check.path("source").asText()).isEqualTo("runner");
            assertThat(check.path("state").asText()).isEqualTo("down");
        });
        // the check turns down at its first failed run; the runs of the other executions may still be on their way
        String checkRuns = "SELECT count(*) FROM monitor.check_runs WHERE check_name = '" + JOB + "' AND outcome = 'fail'";
        await().atMost(Duration.ofSeconds(20)).until(() -> SystemDatabase.count(checkRuns) >= TARGETS);
        assertThat(SystemDatabase.count(checkRuns)).as("one run of the check per execution, each counted once").isEqualTo(TARGETS);
        System.out.printf("ZEROLOSS runner-redis-restart: %d of %d job executions stored when Redis stopped; all %d executions, "
                + "%d errors and the run's end stored once after it came back%n", storedWhenStopped, TARGETS, TARGETS, TARGETS);
    }

    private static String runStatus(String run) {
        JsonNode summary = Http.json(runner.url() + "/api/runs/" + run);
        return summary.path("status").asText();
    }
}
