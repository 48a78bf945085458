package dev.monitoring.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** State of a batch run or a job execution. */
public enum ExecutionStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public static final String ALLOWED = Arrays.stream(values()).map(ExecutionStatus::wireName).collect(Collectors.joining(", "));

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this != RUNNING;
    }

    public static Optional<ExecutionStatus> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.name().equals(wanted)).findFirst();
    }

    @JsonCreator
    static ExecutionStatus fromJson(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown status '" + name + "' (allowed: " + ALLOWED + ")"));
    }
}
