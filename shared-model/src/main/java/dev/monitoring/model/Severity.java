package dev.monitoring.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Severity of an error event, ordered from least to most severe: compare with {@link #atLeast}. */
public enum Severity {
    DEBUG, INFO, WARNING, ERROR, CRITICAL;

    /** The names accepted on the wire, in order: "debug, info, warning, error, critical". */
    public static final String ALLOWED = Arrays.stream(values()).map(Severity::wireName).collect(Collectors.joining(", "));

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Case-insensitive lookup; empty when the name is not a severity. */
    public static Optional<Severity> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.name().equals(wanted)).findFirst();
    }

    @JsonCreator
    static Severity fromJson(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown severity '" + name + "' (allowed: " + ALLOWED + ")"));
    }
}
