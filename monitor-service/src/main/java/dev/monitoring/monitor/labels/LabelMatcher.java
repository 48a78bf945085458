package dev.monitoring.monitor.labels;

import java.util.List;

/**
 * One matcher on an alert label: equality, or a regular expression matched against the whole value. Used by routes
 * and by silences alike. A missing label matches only an equality with the empty string, or a regex that matches "".
 * Label values quote event text, so a regex is run with a bound on its work: one that would backtrack for ever on a
 * crafted symbol stops and does not match.
 */
public interface LabelMatcher {
    /** The labels a matcher may look at, in the order error messages list them. */
    List<String> LABELS = List.of("rule", "severity", "category", "job", "symbol");

    /** The label it looks at: rule, severity, category, job or symbol. */
    String label();

    /** The value or the pattern, as written. */
    String value();

    boolean regex();

    /** Whether the label's value (null when the alert has none) matches. */
    boolean matches(String actual);

    /**
     * An equality ({@code regex} false) or a whole-value regular expression ({@code regex} true) on {@code label}.
     *
     * @throws IllegalArgumentException with a reason for people: an unknown label, an invalid regular expression
     */
    static LabelMatcher of(String label, String value, boolean regex) {
        return regex ? new RegexMatcher(label, value) : new EqualsMatcher(label, value);
    }

    /** {@code of(label, value, false)}. */
    static LabelMatcher equal(String label, String value) {
        return new EqualsMatcher(label, value);
    }

    /** {@code of(label, pattern, true)}. */
    static LabelMatcher regex(String label, String pattern) {
        return new RegexMatcher(label, pattern);
    }

    /** @throws IllegalArgumentException naming the known labels when {@code label} is not one of them */
    static String checkLabel(String label) {
        if (label == null || !LABELS.contains(label)) {
            throw new IllegalArgumentException("unknown label '" + label + "' (labels: " + String.join(", ", LABELS) + ")");
        }
        return label;
    }
}
