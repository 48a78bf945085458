package dev.monitoring.monitor.api;

import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parses query parameters taken as strings, because a JAX-RS conversion failure would answer
 * 404 without saying which parameter is wrong.
 */
public final class QueryParams {
    private static final String CATEGORIES = Arrays.stream(Category.values()).map(Category::wireName).collect(Collectors.joining(", "));

    private QueryParams() {
    }

    /** Largest {@code limit} any query accepts. */
    public static final int MAX_LIMIT = 1000;

    /** The {@code limit} of a list query: 1 to {@link #MAX_LIMIT}. */
    public static int limit(String raw, int defaultValue) {
        return intInRange("limit", raw, defaultValue, 1, MAX_LIMIT);
    }

    /** Largest {@code offset} any paged query accepts. */
    public static final int MAX_OFFSET = 1_000_000;

    /** The {@code offset} of a paged query: rows skipped before the page, 0 to {@link #MAX_OFFSET}; default 0. */
    public static int offset(String raw) {
        return intInRange("offset", raw, 0, 0, MAX_OFFSET);
    }

    public static int intInRange(String name, String raw, int defaultValue, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadParameterException(name, "'" + name + "' must be a whole number between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw new BadParameterException(name, "'" + name + "' must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public static double positiveNumber(String name, String raw, double defaultValue, double max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.trim());
            if (value > 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadParameterException(name, "'" + name + "' must be a number above 0 and at most " + max);
    }

    public static Optional<Severity> severity(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Severity.parse(raw).orElseThrow(() -> new BadParameterException(name,
                "unknown " + name + " '" + raw + "' (allowed: " + Severity.ALLOWED + ")")));
    }

    public static Optional<Category> category(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        Category c = Category.parse(raw);
        if (c == Category.UNKNOWN && !raw.trim().equalsIgnoreCase("unknown")) {
            throw new BadParameterException(name, "unknown " + name + " '" + raw + "' (allowed: " + CATEGORIES + ")");
        }
        return Optional.of(c);
    }

    public static Optional<Instant> instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(dev.monitoring.model.Timestamps.parse(raw.trim()).orElseThrow(() ->
                new BadParameterException(name, "'" + name + "' must be an ISO-8601 date-time, got '" + raw + "'")));
    }

    public static boolean bool(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.trim().toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new BadParameterException(name, "'" + name + "' must be true or false");
        };
    }
}
