package dev.monitoring.runner.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.monitoring.model.Category;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML job file (format in the module README). Strict: an unknown key, a missing command or a bad
 * duration is an error that names the job and the key, because a typo here is a job that silently never runs.
 */
public final class JobFileParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> JOB_KEYS = Set.of("name", "command", "demo", "targets", "cron", "timeout",
            "max_attempts", "backoff", "expected_output", "category", "fresh_seconds", "stale_seconds",
            "transient_patterns");
    private static final Set<String> DEFAULT_KEYS = Set.of("cron", "timeout", "max_attempts", "backoff", "category");

    private JobFileParser() {
    }

    public static List<JobDefinition> parse(InputStream yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new JobFileException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("jobs").isArray()) {
            throw new JobFileException(source + ": expected a top-level 'jobs' list");
        }
        JsonNode defaults = root.path("defaults");
        checkKeys(defaults, DEFAULT_KEYS, source + " defaults");
        List<JobDefinition> jobs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode node : root.path("jobs")) {
            JobDefinition job = job(node, defaults, source + " jobs[" + index++ + "]");
            if (!names.add(job.name())) {
                throw new JobFileException(source + ": job name '" + job.name() + "' appears twice");
            }
            jobs.add(job);
        }
        return jobs;
    }

    private static JobDefinition job(JsonNode node, JsonNode defaults, String where) {
        if (!node.isObject()) {
            throw new JobFileException(where + ": a job is a mapping");
        }
        String name = text(node, "name", null);
        if (name == null || name.isBlank()) {
            throw new JobFileException(where + ": 'name' is required");
        }
        where = where + " (" + name + ")";
        checkKeys(node, JOB_KEYS, where);
        boolean hasCommand = node.has("command");
        if (hasCommand == node.has("demo")) {
            throw new JobFileException(where + ": exactly one of 'command' or 'demo' is required");
        }
        String cron = text(node, "cron", text(defaults, "cron", "0 * * * * ?"));
        CronSchedule.validate(cron, where);
        int maxAttempts = node.path("max_attempts").asInt(defaults.path("max_attempts").asInt(3));
        if (maxAttempts < 1) {
            throw new JobFileException(where + ": 'max_attempts' must be at least 1");
        }
        Duration timeout = duration(node, defaults, "timeout", "10m", where);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new JobFileException(where + ": 'timeout' must be positive");
        }
        return new JobDefinition(name,
                hasCommand ? command(node.get("command"), where) : null,
                hasCommand ? null : demo(node.get("demo"), where),
                targets(node.path("targets"), where),
                cron, timeout, maxAttempts,
                duration(node, defaults, "backoff", "2s", where),
                text(node, "expected_output", null),
                Category.parse(text(node, "category", text(defaults, "category", "unknown"))),
                node.has("fresh_seconds") ? node.get("fresh_seconds").asLong() : null,
                node.has("stale_seconds") ? node.get("stale_seconds").asLong() : null,
                strings(node.path("transient_patterns")));
    }

    private static CommandSpec command(JsonNode node, String where) {
        JsonNode argvNode = node.isArray() ? node : node.path("argv");
        List<String> argv = strings(argvNode);
        if (argv.isEmpty()) {
            throw new JobFileException(where + ": 'command.argv' must be a non-empty list");
        }
        checkKeys(node.isArray() ? null : node, Set.of("argv", "working_dir", "env"), where + " command");
        Map<String, String> env = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.path("env").fields();
        fields.forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return new CommandSpec(argv, text(node, "working_dir", null), env);
    }

    private static DemoSpec demo(JsonNode node, String where) {
        checkKeys(node, Set.of("duration", "records", "failure_rates"), where + " demo");
        JsonNode rates = node.path("failure_rates");
        checkKeys(rates, Set.of("exception", "missing_output", "timeout", "transient"), where + " demo.failure_rates");
        return new DemoSpec(duration(node, null, "duration", "2s", where), node.path("records").asLong(100),
                rate(rates, "exception", where), rate(rates, "missing_output", where),
                rate(rates, "timeout", where), rate(rates, "transient", where));
    }

    /** Either a list of {symbol, timeframe} or {symbols: [...], timeframes: [...]} (every combination). */
    private static List<Target> targets(JsonNode node, String where) {
        List<Target> targets = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return targets;
        }
        if (node.isArray()) {
            for (JsonNode t : node) {
                targets.add(new Target(text(t, "symbol", null), text(t, "timeframe", null)));
            }
            return targets;
        }
        checkKeys(node, Set.of("symbols", "timeframes"), where + " targets");
        List<String> symbols = strings(node.path("symbols"));
        List<String> timeframes = strings(node.path("timeframes"));
        for (String symbol : symbols.isEmpty() ? java.util.Collections.<String>singletonList(null) : symbols) {
            for (String timeframe : timeframes.isEmpty() ? java.util.Collections.<String>singletonList(null) : timeframes) {
                targets.add(new Target(symbol, timeframe));
            }
        }
        return targets;
    }

    private static double rate(JsonNode rates, String key, String where) {
        double rate = rates.path(key).asDouble(0);
        if (rate < 0 || rate > 1) {
            throw new JobFileException(where + ": failure rate '" + key + "' must be between 0 and 1");
        }
        return rate;
    }

    private static Duration duration(JsonNode node, JsonNode defaults, String key, String fallback, String where) {
        String value = text(node, key, defaults == null ? fallback : text(defaults, key, fallback));
        return Durations.parse(value, where + " '" + key + "'");
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode value = node == null ? null : node.get(key);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        if (node == null || !node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                throw new JobFileException(where + ": unknown key '" + key + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        });
    }
}
