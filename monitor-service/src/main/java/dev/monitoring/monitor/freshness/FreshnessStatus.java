package dev.monitoring.monitor.freshness;

import java.util.Locale;

/** How recent a target's last success is: fresh < fresh threshold <= aging < stale threshold <= stale; never succeeded: missing. */
public enum FreshnessStatus {
    FRESH, AGING, STALE, MISSING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FreshnessStatus of(Long secondsSinceSuccess, long freshSeconds, long staleSeconds) {
        if (secondsSinceSuccess == null) {
            return MISSING;
        }
        if (secondsSinceSuccess < freshSeconds) {
            return FRESH;
        }
        return secondsSinceSuccess < staleSeconds ? AGING : STALE;
    }
}
