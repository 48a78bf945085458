package dev.monitoring.system.services;

import dev.monitoring.testsupport.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A runner stopped the ordinary way (SIGTERM: a rolling update, Ctrl-C of start.sh) in the middle of a batch run
 * records the run's end and publishes it before it exits, so no job is left shown running and the next runner finds
 * no orphan. Before, it stopped its run only once its database and Redis clients were closed: the run stayed
 * "running" until the next start called it orphaned, and its job stayed "running" in the monitor for good.
 */
class RunnerGracefulStopTest {
    private static final String LOCK = "test.system:graceful-stop-lock";
    private static final String JOBS = """
            defaults:
              cron: "0 0 0 1 1 ?"
              timeout: 60s
              max_attempts: 1
            jobs:
              - name: graceful-long
                command:
                  argv: [sleep, "30"]
            """;
    private static ServiceInstance runner;

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.killHard();
        }
    }

    @Test
    void aRunnerStoppedMidRunEndsItsRunAndItsJobBeforeItExits() throws Exception {
        SystemDatabase.ensureExists();
        SystemDatabase.truncateIfPresent("runner.batch_run", "runner.execution", "runner.job_state");
        try (Resp redis = Resp.local()) {
            redis.command("DEL", LOCK);
        }
        Path jobs = Path.of("target", "graceful-stop-jobs.yml").toAbsolutePath();
        Files.writeString(jobs, JOBS);
        try (Resp.Subscription executions = Resp.subscribe(ServiceInstance.EXECUTIONS)) {
            runner = ServiceInstance.start("runner-service", "runner-stopped", ServiceInstance.env(
                    "JOBS_FILE", jobs.toString(), "RUNNER_CRON", "off", "RUNNER_FULL_RUN", "false", "RUNNER_LOCK_KEY", LOCK));
            runner.awaitReady();
            assertThat(Http.post(runner.url() + "/api/runs").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> events(executions, "job.started").size() == 1);

            ServiceInstance stopping = runner;
            runner = null;
            stopping.terminate(); // its job's process gets no signal from outside, as in Kubernetes

            // what the stopped runner published before it exited: nothing arrives later from it
            List<String> jobFailed = events(executions, "job.failed");
            assertThat(jobFailed).as("the job's end").singleElement()
                    .satisfies(e -> assertThat(e).contains("\"job\":\"graceful-long\"", "runner shut down"));
            assertThat(events(executions, "run.failed").size() + events(executions, "run.cancelled").size())
                    .as("the run's end").isEqualTo(1);
        }
        assertThat(SystemDatabase.count("SELECT count(*) FROM runner.batch_run WHERE status = 'running'"))
                .as("runs left running for the next start's orphan check").isZero();
        assertThat(SystemDatabase.count("SELECT count(*) FROM runner.execution WHERE status = 'running'"))
                .as("executions left running").isZero();
    }

    private static List<String> events(Resp.Subscription subscription, String event) {
        return subscription.messages().stream().filter(m -> m.contains("\"event\":\"" + event + "\"")).toList();
    }
}
