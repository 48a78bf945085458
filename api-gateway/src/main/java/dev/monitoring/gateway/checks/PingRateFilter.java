package dev.monitoring.gateway.checks;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The per-key rate limit of pings, applied before anything else handles the request: a storm on one key is answered
 * 429 by this filter alone, without the REST layer, security or the monitor, so it costs the gateway as little as a
 * refused request can (and the pings of other keys go on).
 */
@ApplicationScoped
public class PingRateFilter {
    static final String PREFIX = "/ping/";
    /** Before the routes and their security handlers. */
    private static final int PRIORITY = 100;

    void register(@Observes Filters filters, PingLimiter limiter) {
        filters.register(rc -> {
            String key = keyOf(rc.normalizedPath());
            if (key != null && !limiter.allow(key)) {
                refuse(rc, limiter.retryAfterSeconds());
            } else {
                rc.next();
            }
        }, PRIORITY);
    }

    /** The key of {@code /ping/{key}} or {@code /ping/{key}/{signal}}; null for any other path. */
    static String keyOf(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        int end = path.indexOf('/', PREFIX.length());
        String key = end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end);
        return key.isEmpty() ? null : key;
    }

    private static void refuse(RoutingContext rc, long retryAfterSeconds) {
        rc.response().setStatusCode(429)
                .putHeader("Content-Type", "text/plain;charset=UTF-8")
                .putHeader("Retry-After", Long.toString(retryAfterSeconds))
                .end("rate limited: too many pings for this key, retry in a moment\n");
    }
}
