package dev.monitoring.monitor.labels;

import java.util.Objects;

/** {@code label = value}; a missing label counts as "". */
public record EqualsMatcher(String label, String value) implements LabelMatcher {
    public EqualsMatcher {
        LabelMatcher.checkLabel(label);
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean regex() {
        return false;
    }

    @Override
    public boolean matches(String actual) {
        return value.equals(actual == null ? "" : actual);
    }

    @Override
    public String toString() {
        return label + "=\"" + value + "\"";
    }
}
