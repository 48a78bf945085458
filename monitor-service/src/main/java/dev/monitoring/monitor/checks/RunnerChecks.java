package dev.monitoring.monitor.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.LogText;
import dev.monitoring.monitor.api.BadParameterException;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of the runner's jobs: the runner declares one per job of its job file under a Redis key
 * ({@code monitoring.channels.runner-checks}), and every monitor makes and updates them (source {@code runner}) and
 * removes those no longer declared. The runner's job events are their signals. No key (a runner never started, or a
 * Redis restarted empty) changes nothing: checks that vanished because Redis did would hide the jobs that stopped.
 */
@ApplicationScoped
public class RunnerChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than a job file holds: anyone who can write to Redis can write this key, and each check costs a statement. */
    static final int MAX_CHECKS = 1000;

    private final RedisDataSource redis;
    private final CheckStore store;
    private final boolean enabled;
    private final String key;
    /** What was already warned about, so a conflict or a refused check is said once and not every 30 s. */
    private final Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RunnerChecks(RedisDataSource redis, CheckStore store, ChecksConfig config, ChannelsConfig channels) {
        this.redis = redis;
        this.store = store;
        this.enabled = config.runnerJobs();
        this.key = channels.runnerChecks();
    }

    @Scheduled(identity = "runner-checks", every = "${monitor.checks.runner-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            sync();
        } catch (RuntimeException e) {
            // Redis or PostgreSQL away, or a declaration that is not one: the checks stay as they are until the next tick
            String reason = String.valueOf(e.getMessage());
            if (firstTime("failed: " + reason)) {
                Log.warnf("Cannot apply the checks of the runner's jobs (said once per reason): %s", LogText.safe(reason));
            }
        }
    }

    /** Whether this warning was not given yet; the memory of them is bounded (forgotten past 1,000). */
    private boolean firstTime(String warning) {
        if (warned.size() > 1000) {
            warned.clear();
        }
        return warned.add(warning);
    }

    /** Applies the runner's declaration; false when there is none. */
    synchronized boolean sync() {
        Response value = redis.execute("GET", key);
        if (value == null) {
            return false;
        }
        CheckStore.Declared declared = store.declare(parse(value.toString()), "runner");
        for (String name : declared.leftAlone()) {
            if (firstTime(name)) {
                Log.warnf("The runner's job %s gets no check of its own: a check of that name exists already", LogText.safe(name));
            }
        }
        return true;
    }

    /** The declared checks; one the monitor refuses is left out with a warning (once), never the others with it. */
    private List<CheckSpec> parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the runner's checks are not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("checks").isArray()) {
            throw new IllegalStateException("the runner's checks have no 'checks' array");
        }
        List<CheckSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (root.get("checks").size() > MAX_CHECKS && firstTime("too many")) {
            Log.warnf("The runner declares %d checks: only the first %d are applied", root.get("checks").size(), MAX_CHECKS);
        }
        for (JsonNode node : root.get("checks")) {
            if (specs.size() == MAX_CHECKS) {
                break;
            }
            try {
                CheckSpec spec = CheckSpec.parse(node, null);
                if (names.add(spec.name())) {
                    specs.add(spec);
                }
            } catch (BadParameterException e) {
                if (firstTime("refused " + node.path("name").asText() + ": " + e.getMessage())) {
                    Log.warnf("The check of the runner's job %s is left out: %s", LogText.safe(node.path("name").asText()),
                            LogText.safe(e.getMessage()));
                }
            }
        }
        return specs;
    }
}
