package dev.monitoring.monitor.notify;

import dev.monitoring.model.LogText;
import dev.monitoring.monitor.notify.receivers.Notification;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;

/**
 * The receivers each alert was told to be firing, so that its end still reaches them when a silence made since then
 * holds back news of it. A silence is for quiet about what is new; a receiver left at "firing" (a PagerDuty incident,
 * a Slack thread someone follows) would otherwise never hear the end (Alertmanager's long-standing issue 226).
 * <p>
 * One Redis set of receiver names per alert, beside the ledger and shared by the replicas, renewed by every firing
 * message and reminder, and kept {@link #KEEP} after the last one.
 */
@ApplicationScoped
public class ToldAlerts {
    /** Longer than a reminder interval is sensibly set; an alert firing on past it is told again by its reminders. */
    static final Duration KEEP = Duration.ofDays(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final String prefix;

    public ToldAlerts(ReactiveRedisDataSource redis, DeliveryConfig config) {
        this.redis = redis;
        this.prefix = config.keyPrefix() + ":told:";
    }

    /** After a receiver accepted a message: its firing alerts are now told to it, its ended ones need no more. */
    void accepted(String receiver, Notification n) {
        if (n.test()) {
            return;
        }
        try {
            for (Map<String, Object> alert : n.alerts()) {
                Object id = alert.get("alert_id");
                if (id == null) {
                    continue;
                }
                String key = prefix + id;
                if (alert.get("resolved_at") == null) {
                    redis.execute("SADD", key, receiver).await().atMost(TIMEOUT);
                    redis.execute("EXPIRE", key, String.valueOf(KEEP.toSeconds())).await().atMost(TIMEOUT);
                } else {
                    redis.execute("SREM", key, receiver).await().atMost(TIMEOUT);
                }
            }
        } catch (RuntimeException e) {
            // the message went out; only the exception for its end under a later silence is lost
            Log.warnf("Receivers told of %s not recorded: %s", n.id(), LogText.safe(String.valueOf(e.getMessage())));
        }
    }

    /** Whether this receiver was told the alert fires (and not yet that it ended). */
    boolean told(String receiver, Object alertId) {
        if (alertId == null) {
            return false;
        }
        var member = redis.execute("SISMEMBER", prefix + alertId, receiver).await().atMost(TIMEOUT);
        return member != null && member.toInteger() == 1;
    }
}
