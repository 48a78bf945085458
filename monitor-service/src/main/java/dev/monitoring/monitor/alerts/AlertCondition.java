package dev.monitoring.monitor.alerts;

import java.time.Instant;

/** A rule's condition that currently holds; {@code key} identifies it across evaluations for de-duplication. */
public record AlertCondition(String rule, String key, String severity, String message, long count, Instant firstSeen,
                             Instant lastSeen) {
}
