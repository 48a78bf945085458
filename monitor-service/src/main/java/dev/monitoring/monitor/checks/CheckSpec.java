package dev.monitoring.monitor.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.monitor.api.BadParameterException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What a check expects, as created or replaced through the API: validated here, each refusal naming its field. */
record CheckSpec(String name, String schedule, String timezone, Long periodSeconds, long graceSeconds, Long maxRuntimeSeconds,
                 Long minRuntimeSeconds, List<String> dependsOn) {
    /** The same characters as a job name, so a runner job or an execution event's {@code job} can be a check. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final Set<String> FIELDS = Set.of("name", "schedule", "timezone", "period_seconds", "grace_seconds",
            "max_runtime_seconds", "min_runtime_seconds", "depends_on");
    static final long DEFAULT_GRACE_SECONDS = 300;
    private static final long MAX_SECONDS = 366L * 24 * 3600;
    private static final int MAX_DEPENDENCIES = 20;

    /** A check expecting a signal every {@code periodSeconds}; throws {@link BadParameterException} naming a bad name. */
    static CheckSpec ofPeriod(String name, long periodSeconds, long graceSeconds) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new BadParameterException("name", "'name' must be 1 to 100 letters, digits and . _ : - (starting with a letter or digit)");
        }
        return new CheckSpec(name, null, "UTC", periodSeconds, graceSeconds, null, null, List.of());
    }

    static CheckSpec parse(JsonNode body, String nameFromPath) {
        if (body == null || !body.isObject()) {
            throw new BadParameterException("body", "the body must be a JSON object describing the check");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new BadParameterException(field, "unknown field '" + field + "'; a check has " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        // not text(): its 200-character rule would answer a long name before the name's own rule
        JsonNode given = body.get("name");
        String name = nameFromPath != null ? nameFromPath : given != null && given.isTextual() && !given.asText().isBlank()
                ? given.asText().trim() : null;
        if (nameFromPath != null && body.hasNonNull("name") && !nameFromPath.equals(body.get("name").asText())) {
            throw new BadParameterException("name", "'name' in the body differs from the check in the URL; a check cannot be renamed");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new BadParameterException("name", (name == null ? "'name' is required" : "'name' is not a check name")
                    + ": 1 to 100 letters, digits and . _ : - (starting with a letter or digit)");
        }
        String schedule = text(body, "schedule");
        Long period = seconds(body, "period_seconds", 1);
        if ((schedule == null) == (period == null)) {
            throw new BadParameterException("schedule", "give either 'schedule' (cron) or 'period_seconds', not both and not neither");
        }
        String timezone = body.hasNonNull("timezone") ? text(body, "timezone") : "UTC";
        String problem = CheckSchedule.problem(schedule, timezone);
        if (problem != null) {
            throw new BadParameterException(problem.contains("timezone") ? "timezone" : "schedule", problem);
        }
        Long grace = seconds(body, "grace_seconds", 0);
        Long max = seconds(body, "max_runtime_seconds", 1);
        Long min = seconds(body, "min_runtime_seconds", 0);
        if (max != null && min != null && min >= max) {
            throw new BadParameterException("min_runtime_seconds", "'min_runtime_seconds' must be below 'max_runtime_seconds'");
        }
        return new CheckSpec(name, schedule, timezone, period, grace == null ? DEFAULT_GRACE_SECONDS : grace, max, min,
                dependencies(body, name));
    }

    private static List<String> dependencies(JsonNode body, String name) {
        JsonNode deps = body.get("depends_on");
        if (deps == null || deps.isNull()) {
            return List.of();
        }
        if (!deps.isArray() || deps.size() > MAX_DEPENDENCIES) {
            throw new BadParameterException("depends_on", "'depends_on' must be an array of at most " + MAX_DEPENDENCIES + " check names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode d : deps) {
            if (!d.isTextual() || !NAME.matcher(d.asText()).matches()) {
                throw new BadParameterException("depends_on", "'depends_on' must hold check names");
            }
            if (d.asText().equals(name)) {
                throw new BadParameterException("depends_on", "a check cannot depend on itself");
            }
            if (!out.contains(d.asText())) {
                out.add(d.asText());
            }
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 200) {
            throw new BadParameterException(field, "'" + field + "' must be a non-empty string of at most 200 characters");
        }
        return v.asText().trim();
    }

    private static Long seconds(JsonNode body, String field, long min) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > MAX_SECONDS) {
            throw new BadParameterException(field, "'" + field + "' must be a whole number of seconds from " + min + " to " + MAX_SECONDS);
        }
        return v.asLong();
    }
}
