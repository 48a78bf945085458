package dev.monitoring.model.pubsub;

import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter. */
public final class Backoff {
    private Backoff() {
    }

    /** The pause before retry number {@code failures} (0 = the first retry). */
    public static long delayMillis(ReconnectConfig policy, int failures) {
        double base = policy.initialDelay().toMillis() * Math.pow(policy.multiplier(), Math.min(Math.max(failures, 0), 30));
        double capped = Math.min(base, policy.maxDelay().toMillis());
        return Math.max(1, (long) (capped * (1 + ThreadLocalRandom.current().nextDouble() * policy.jitter())));
    }
}
