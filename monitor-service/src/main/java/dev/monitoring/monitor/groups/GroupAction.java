package dev.monitoring.monitor.groups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.model.LogText;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.errors.ReleaseKey;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What someone does to a group: resolve, unresolve or ignore (with its condition), who, and why. Read from the body
 * the gateway relays: {@code actor} is written by the gateway from the logged-in user; {@code comment} and, for an
 * ignore, {@code until}, {@code more_than} and {@code rate_per_hour} are the user's.
 */
record GroupAction(String action, String actor, String comment, ErrorGroup.Ignore ignore, String inRelease) {
    static final int MAX_COMMENT = 2000;

    static GroupAction parse(String verb, JsonNode body) {
        String action = switch (verb) {
            case "resolve" -> "resolved";
            case "unresolve" -> "unresolved";
            case "ignore" -> "ignored";
            default -> throw new BadParameterException("action",
                    "the action must be resolve, unresolve, ignore, merge or unmerge, got '" + verb + "'");
        };
        JsonNode b = body == null || body.isNull() || body.isMissingNode() ? null : body;
        if (b != null && !b.isObject()) {
            throw new BadParameterException("body", "the body must be a JSON object");
        }
        String actor = text(b, "actor");
        String comment = text(b, "comment");
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw new BadParameterException("comment", "'comment' is at most " + MAX_COMMENT + " characters");
        }
        ErrorGroup.Ignore ignore = null;
        if (action.equals("ignored")) {
            ignore = new ErrorGroup.Ignore(until(b), positive(b, "more_than"), positive(b, "rate_per_hour"));
        }
        String inRelease = action.equals("resolved") ? text(b, "in_release") : null;
        if (inRelease != null && inRelease.length() > 64) {
            throw new BadParameterException("in_release", "'in_release' is at most 64 characters");
        }
        if (inRelease != null && ReleaseKey.key(inRelease) == null) {
            throw new BadParameterException("in_release", "'in_release' must be a version that starts with a number, such as "
                    + "1.4.2 or v2.0, got '" + LogText.safe(inRelease, 80) + "'");
        }
        return new GroupAction(action, actor == null || actor.isBlank() ? "anonymous" : actor, comment, ignore, inRelease);
    }

    /** The detail recorded in the activity: the ignore's condition, the release of a resolve. */
    Map<String, Object> detail() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (inRelease != null) {
            d.put("in_release", inRelease);
        }
        if (ignore != null) {
            if (ignore.forever()) {
                d.put("forever", true);
            }
            if (ignore.until() != null) {
                d.put("until", ignore.until().toString());
            }
            if (ignore.moreThan() != null) {
                d.put("more_than", ignore.moreThan());
            }
            if (ignore.ratePerHour() != null) {
                d.put("rate_per_hour", ignore.ratePerHour());
            }
        }
        return d;
    }

    private static Instant until(JsonNode b) {
        String raw = text(b, "until");
        if (raw == null) {
            return null;
        }
        try {
            Instant until = Instant.parse(raw);
            if (!until.isAfter(Instant.now())) {
                throw new BadParameterException("until", "'until' must be in the future, got " + raw);
            }
            return until;
        } catch (DateTimeParseException e) {
            throw new BadParameterException("until", "'until' must be an ISO-8601 instant such as 2026-12-02T00:00:00Z, got '" + raw + "'");
        }
    }

    private static Long positive(JsonNode b, String field) {
        if (b == null || !b.has(field) || b.get(field).isNull()) {
            return null;
        }
        JsonNode v = b.get(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1) {
            throw new BadParameterException(field, "'" + field + "' must be a whole number of at least 1");
        }
        return v.asLong();
    }

    private static String text(JsonNode b, String field) {
        if (b == null || !b.has(field) || b.get(field).isNull()) {
            return null;
        }
        if (!b.get(field).isTextual()) {
            throw new BadParameterException(field, "'" + field + "' must be a string");
        }
        return b.get(field).asText();
    }
}
