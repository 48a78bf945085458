package dev.monitoring.runner.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.LogText;
import dev.monitoring.runner.config.RunnerConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declares a check per job of the job file, in the shape of the monitor's check API, under the Redis key
 * {@code monitoring.channels.runner-checks}; the monitor makes and updates those checks (source {@code runner}) and
 * removes the ones no longer declared. The runner's own job events are the checks' signals, so a job that stops
 * running (a runner down, a cron that never fires, a batch too full to reach it) is late like any check, with
 * nothing to set up. Written again every minute: Redis may have restarted empty.
 */
@ApplicationScoped
public class JobChecks {
    private final RedisDataSource redis;
    private final ObjectMapper json;
    private final JobCatalog catalog;
    private final RunnerConfig.Checks config;
    private final String key;

    public JobChecks(RedisDataSource redis, ObjectMapper json, JobCatalog catalog, RunnerConfig config, ChannelsConfig channels) {
        this.redis = redis;
        this.json = json;
        this.catalog = catalog;
        this.config = config.checks();
        this.key = channels.runnerChecks();
    }

    @Scheduled(identity = "job-checks", every = "${runner.checks.declare-every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void declare() {
        if (!config.enabled()) {
            return;
        }
        try {
            redis.execute("SET", key, json.writeValueAsString(Map.of("checks", checks(catalog.jobs(), config.grace()))));
        } catch (JsonProcessingException | RuntimeException e) {
            // the next tick tries again; until then the monitor keeps the checks it has
            Log.warnf("Cannot declare the checks of the jobs in Redis: %s", LogText.safe(String.valueOf(e.getMessage())));
        }
    }

    static List<Map<String, Object>> checks(List<JobDefinition> jobs, Duration grace) {
        return jobs.stream().map(job -> check(job, grace)).toList();
    }

    /** A job's check: due when its cron fires, and allowed every attempt of an execution with the backoffs between. */
    static Map<String, Object> check(JobDefinition job, Duration grace) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", job.name());
        check.put("schedule", job.cron());
        check.put("timezone", "UTC");
        check.put("grace_seconds", grace.toSeconds());
        check.put("max_runtime_seconds", Math.max(1, ceilSeconds(longestExecution(job))));
        return check;
    }

    static Duration longestExecution(JobDefinition job) {
        Duration d = job.timeout().multipliedBy(job.maxAttempts());
        for (int attempt = 2; attempt <= job.maxAttempts(); attempt++) {
            d = d.plus(job.backoffBefore(attempt));
        }
        return d;
    }

    private static long ceilSeconds(Duration d) {
        return d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
    }
}
