package dev.monitoring.monitor.silences;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.labels.LabelMatcher;
import io.quarkus.runtime.configuration.DurationConverter;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The body of {@code POST /api/silences}, checked field by field so a mistake comes back with its field's name. */
final class SilenceRequest {
    static final Set<String> LABELS = Set.of("rule", "severity", "category", "job", "symbol");
    private static final int MAX_TEXT = 1000;

    private final JsonNode body;

    SilenceRequest(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadParameterException("body", "the body must be a JSON object");
        }
        this.body = body;
    }

    static LabelMatcher matcher(String label, String value, boolean regex) {
        return LabelMatcher.of(label, value, regex);
    }

    Silence toSilence(String id, Instant now) {
        List<LabelMatcher> matchers = matchers();
        Instant startsAt = instant("starts_at", now);
        String cron = text("cron", false);
        Duration duration = null;
        if (cron != null) {
            try {
                Silence.schedule(cron);
            } catch (RuntimeException e) {
                throw new BadParameterException("cron", "'cron' is not a Quartz cron expression (e.g. \"0 0 2 * * ?\" for 02:00 UTC "
                        + "every day): " + e.getMessage());
            }
            duration = duration();
        }
        Instant endsAt = instant("ends_at", null);
        if (endsAt == null && cron == null) {
            throw new BadParameterException("ends_at", "'ends_at' is required (an ISO-8601 time) unless 'cron' makes it a "
                    + "recurring maintenance window");
        }
        if (endsAt != null && !endsAt.isAfter(startsAt)) {
            throw new BadParameterException("ends_at", "'ends_at' must be after 'starts_at'");
        }
        if (endsAt != null && !endsAt.isAfter(now)) {
            throw new BadParameterException("ends_at", "'ends_at' is in the past");
        }
        String comment = text("comment", true);
        String createdBy = text("created_by", true);
        boolean endOnResolve = body.path("end_on_resolve").asBoolean(false);
        return new Silence(id, matchers, startsAt, endsAt, comment, createdBy, endOnResolve, cron, duration, now, null);
    }

    private List<LabelMatcher> matchers() {
        JsonNode array = body.get("matchers");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new BadParameterException("matchers", "'matchers' must be a non-empty array of {\"label\", \"value\", \"regex\"}; "
                    + "labels: " + String.join(", ", LABELS.stream().sorted().toList()));
        }
        List<LabelMatcher> list = new ArrayList<>();
        for (JsonNode m : array) {
            String label = m.path("label").asText("");
            if (!LABELS.contains(label)) {
                throw new BadParameterException("matchers", "unknown label '" + cut(label) + "'; labels: "
                        + String.join(", ", LABELS.stream().sorted().toList()));
            }
            JsonNode value = m.get("value");
            if (value == null || !value.isTextual() || value.asText().length() > 200) {
                throw new BadParameterException("matchers", "the matcher on '" + label + "' needs a text 'value' of at most 200 characters");
            }
            try {
                list.add(matcher(label, value.asText(), m.path("regex").asBoolean(false)));
            } catch (RuntimeException e) {
                throw new BadParameterException("matchers", "the matcher on '" + label + "' is not valid: " + e.getMessage());
            }
        }
        return list;
    }

    private Duration duration() {
        String raw = text("duration", false);
        if (raw == null) {
            throw new BadParameterException("duration", "'duration' (each window's length, e.g. \"2h\") is required with 'cron'");
        }
        Duration d;
        try {
            d = DurationConverter.parseDuration(raw);
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new BadParameterException("duration", "'duration' must be a positive duration such as \"30m\", \"2h\" or \"PT2H\"");
        }
        return d;
    }

    private Instant instant(String field, Instant defaultValue) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new BadParameterException(field, "'" + field + "' must be an ISO-8601 time such as \"2026-12-01T08:00:00Z\"");
        }
    }

    private String text(String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw new BadParameterException(field, "'" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().length() > MAX_TEXT) {
            throw new BadParameterException(field, "'" + field + "' must be text of at most " + MAX_TEXT + " characters");
        }
        return v.asText();
    }

    private static String cut(String s) {
        return s.length() > 50 ? s.substring(0, 50) + "..." : s;
    }
}
