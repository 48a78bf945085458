package dev.monitoring.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** What part of a pipeline an error comes from. An unrecognised category is {@link #UNKNOWN}, never an error. */
public enum Category {
    PATTERN, INDICATOR, DATABASE, NETWORK, VALIDATION, PERFORMANCE, CONFIGURATION, UNKNOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Category parse(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.name().equals(wanted)).findFirst().orElse(UNKNOWN);
    }
}
