package dev.monitoring.monitor.notify;

import dev.monitoring.model.api.Alert;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.LogText;
import dev.monitoring.monitor.notify.config.NotifyFile;
import dev.monitoring.monitor.notify.config.NotifySettings;
import dev.monitoring.monitor.notify.config.RouteSpec;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where alert transitions enter notification: an alert that fired or resolved is routed by the {@code NOTIFY_FILE}
 * routes and added to its groups in Redis (see {@code notify-enqueue.lua}); the {@link GroupFlusher} turns due groups
 * into ledger entries. Called only by the replica that decided the transition, so each is added once.
 */
@ApplicationScoped
public class AlertNotifier {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String ENQUEUE = NotifyKeys.script("/notify-enqueue.lua");

    private final NotifyFile file;
    private final ReactiveRedisDataSource redis;
    private final EventCodec codec;
    private final DeliveryConfig config;
    private final GroupFlusher flusher;

    public AlertNotifier(NotifyFile file, ReactiveRedisDataSource redis, EventCodec codec, DeliveryConfig config,
                         GroupFlusher flusher) {
        this.flusher = flusher;
        this.file = file;
        this.redis = redis;
        this.codec = codec;
        this.config = config;
    }

    /**
     * An alert started: {@code alert} is its JSON as published, with its {@code labels}. False when a route's group
     * could not be reached (Redis away): the caller keeps the transition and tries again later; queuing the same
     * transition twice is harmless (the group holds one entry per alert).
     */
    public boolean fired(Alert alert, Map<String, String> labels) {
        return transition(alert, labels, "F");
    }

    /** An alert ended; false as for {@link #fired}. */
    public boolean resolved(Alert alert, Map<String, String> labels) {
        return transition(alert, labels, "R");
    }

    /** The routes an alert with these labels takes: the first match, and the next ones while they say continue. */
    static List<Target> targets(NotifySettings settings, Map<String, String> labels) {
        List<Target> targets = new ArrayList<>();
        for (RouteSpec route : settings.routes()) {
            if (route.matches(labels)) {
                if (!route.receivers().isEmpty()) {
                    targets.add(new Target(groupKey(route.index(), route.groupBy(), labels), route.receivers(), route.groupWait(),
                            route.groupInterval(), route.repeatInterval()));
                }
                if (!route.continueMatching()) {
                    return targets;
                }
            }
        }
        if (targets.isEmpty() && !settings.defaultReceivers().isEmpty()) {
            targets.add(new Target(groupKey(-1, List.of("rule"), labels), settings.defaultReceivers(), RouteSpec.DEFAULT_GROUP_WAIT,
                    RouteSpec.DEFAULT_GROUP_INTERVAL, RouteSpec.DEFAULT_REPEAT_INTERVAL));
        }
        return targets;
    }

    /** "route 0 {rule=critical_error}": the route and the values of its group_by labels. */
    static String groupKey(int route, List<String> groupBy, Map<String, String> labels) {
        StringBuilder key = new StringBuilder(route < 0 ? "default" : "route " + route).append(" {");
        for (int i = 0; i < groupBy.size(); i++) {
            String label = groupBy.get(i);
            key.append(i == 0 ? "" : ", ").append(label).append('=').append(labels.getOrDefault(label, ""));
        }
        return key.append('}').toString();
    }

    record Target(String groupKey, List<String> receivers, Duration groupWait, Duration groupInterval, Duration repeatInterval) {
    }

    private boolean transition(Alert alert, Map<String, String> labels, String status) {
        List<Target> targets = targets(file.current(), labels);
        if (targets.isEmpty()) {
            return true;
        }
        String json = codec.encode(alert);
        String now = Long.toString(Instant.now().toEpochMilli());
        boolean dueNow = false;
        boolean queued = true;
        for (Target t : targets) {
            try {
                redis.execute("EVAL", ENQUEUE, "3", keys().group(t.groupKey()), keys().alerts(t.groupKey()), keys().due(),
                        t.groupKey(), alert.alertId(), status, json, now,
                        Long.toString(t.groupWait().toMillis()), Long.toString(t.groupInterval().toMillis()),
                        Long.toString(t.repeatInterval().toMillis()), codec.encode(t.receivers()), Long.toString(lasted(alert)))
                        .await().atMost(TIMEOUT);
                dueNow |= t.groupWait().isZero();
            } catch (RuntimeException e) {
                queued = false;
                Log.debugf("Could not queue the notification of alert %s [%s] for %s: %s", alert.alertId(),
                        LogText.safe(labels.get("rule")), LogText.safe(t.groupKey()), e.getMessage());
            }
        }
        if (dueNow) {
            flusher.wake();
        }
        return queued;
    }

    /** How long an ended alert lasted, 0 for one that has not ended. */
    private static long lasted(Alert alert) {
        return alert.resolvedAt() == null || alert.firstSeen() == null ? 0
                : Math.max(0, alert.resolvedAt().toEpochMilli() - alert.firstSeen().toEpochMilli());
    }

    NotifyKeys keys() {
        return new NotifyKeys(config.keyPrefix());
    }
}
