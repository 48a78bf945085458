package dev.monitoring.monitor.notify.config;

import dev.monitoring.monitor.labels.LabelMatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One route of the file. An alert matches when every matcher matches its label ({@code rule}, {@code severity},
 * {@code category}, {@code job}, {@code symbol}); the first matching route wins unless it says {@code continue: true}.
 *
 * @param index          position in the file, 0-based (part of every group key, so two routes never share a group)
 * @param matchers       all must match; empty matches every alert
 * @param groupBy        labels whose values split the route's alerts into groups (empty: one group per route)
 * @param groupWait      how long a new group waits for more alerts before its first notification
 * @param groupInterval  how long a group waits after a notification before it tells of changes
 * @param repeatInterval how long a group whose alerts still fire waits before it says so again
 * @param line           where it starts in the file, for error messages
 */
public record RouteSpec(int index, List<LabelMatcher> matchers, List<String> receivers, List<String> groupBy,
                        Duration groupWait, Duration groupInterval, Duration repeatInterval, boolean continueMatching,
                        int line) {
    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    public boolean matches(Map<String, String> labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels.get(m.label()))) {
                return false;
            }
        }
        return true;
    }
}
