package dev.monitoring.monitor.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule's condition that currently holds; {@code key} identifies it across evaluations for de-duplication.
 * Message and key quote event text (a symbol, an error message), so both are cut to a length here, once for every rule.
 * {@code labels} are what notification routes and silences match on: always {@code rule} and {@code severity}, and
 * {@code category}, {@code job} or {@code symbol} where the rule knows them.
 */
public record AlertCondition(String rule, String key, String severity, String message, long count, Instant firstSeen,
                             Instant lastSeen, Map<String, String> labels) {
    static final int MAX_MESSAGE = 1000;
    static final int MAX_KEY = 300;
    static final int MAX_LABEL = 200;

    public AlertCondition {
        message = cut(message, MAX_MESSAGE);
        key = cut(key, MAX_KEY);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("rule", rule);
        all.put("severity", severity);
        if (labels != null) {
            labels.forEach((k, v) -> {
                if (v != null && !v.isEmpty() && !all.containsKey(k)) {
                    all.put(k, cut(v, MAX_LABEL));
                }
            });
        }
        labels = Map.copyOf(all);
    }

    public AlertCondition(String rule, String key, String severity, String message, long count, Instant firstSeen,
                          Instant lastSeen) {
        this(rule, key, severity, message, count, firstSeen, lastSeen, Map.of());
    }

    /** The same condition with these labels too. */
    public AlertCondition with(String label, String value) {
        Map<String, String> more = new LinkedHashMap<>(labels);
        if (value != null) {
            more.putIfAbsent(label, value);
        }
        return new AlertCondition(rule, key, severity, message, count, firstSeen, lastSeen, more);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
