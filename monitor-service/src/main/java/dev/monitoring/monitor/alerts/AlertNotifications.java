package dev.monitoring.monitor.alerts;

import dev.monitoring.model.api.Alert;
import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.notify.AlertNotifier;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Hands the engine's alert transitions to notification, and keeps those it could not hand over. Notification groups
 * live in Redis: a transition that happens while Redis is away is recorded on the alert row as owed
 * ({@code notify_pending}: 'F', 'R' or 'FR') and queued again at a later round, in order, so an alert raised during
 * a Redis outage still reaches its receivers.
 */
@ApplicationScoped
public class AlertNotifications {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a replica's attempt to queue an owed transition holds it (longer than one attempt can take). */
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final int PER_ROUND = 100;

    private final Pool pool;
    private final AlertNotifier notifier;

    public AlertNotifications(Pool pool, AlertNotifier notifier) {
        this.pool = pool;
        this.notifier = notifier;
    }

    /** A new alert, inserted with 'F' owed: queued now if Redis answers, else at a later round. */
    void fired(Alert alert, Map<String, String> labels, Instant now) {
        String id = alert.alertId();
        if (notifier.fired(alert, labels)) {
            told(id, 'F');
        } else {
            release(now, id);
            Log.warnf("Could not queue the notification of alert %s [%s]: Redis is away, it is queued at a later round", id,
                    alert.rule());
        }
    }

    /** An alert just resolved with only 'R' owed (its start was queued). */
    void resolved(Alert alert, Map<String, String> labels, Instant now) {
        String id = alert.alertId();
        if (notifier.resolved(alert, labels)) {
            told(id, 'R');
        } else {
            release(now, id);
            Log.warnf("Could not queue the end of alert %s [%s]: Redis is away, it is queued at a later round", id,
                    alert.rule());
        }
    }

    /**
     * Queues the owed transitions, oldest alert first, each alert's in order (fired before resolved). They are claimed
     * for {@link #LEASE} so replicas do not queue one together; the round stops at the first failure, as Redis is
     * still away, and frees the rest for the next round.
     */
    void queueOwed(Instant now) {
        List<Row> owed = new ArrayList<>();
        pool.preparedQuery("""
                UPDATE monitor.alerts SET notify_attempted_at = $1
                WHERE alert_id IN (SELECT alert_id FROM monitor.alerts
                                   WHERE notify_pending IS NOT NULL AND notify_attempted_at < $2
                                   ORDER BY notify_attempted_at LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING *""").execute(Tuple.of(utc(now), utc(now.minus(LEASE)), PER_ROUND)).await().atMost(TIMEOUT)
                .forEach(owed::add);
        owed.sort(Comparator.comparing(r -> Rows.instant(r, "first_seen")));
        for (int i = 0; i < owed.size(); i++) {
            Row r = owed.get(i);
            for (char transition : r.getString("notify_pending").toCharArray()) {
                Map<String, String> labels = AlertRows.labels(r);
                Alert alert = stored(r, now);
                if (transition == 'F') {
                    alert = alert.resolvedAt(null); // told as it started; its end follows as its own transition
                }
                boolean queued = transition == 'F' ? notifier.fired(alert, labels) : notifier.resolved(alert, labels);
                if (!queued) {
                    release(now, owed.subList(i, owed.size()).stream().map(o -> o.getString("alert_id")).toArray(String[]::new));
                    return;
                }
                told(r.getString("alert_id"), transition);
                Log.infof("Notification of alert %s [%s] %s queued late, after Redis came back", r.getString("alert_id"),
                        r.getString("rule"), transition == 'F' ? "fired" : "resolved");
            }
        }
    }

    /** A stored alert as published; a resolved one carries its {@code resolved_at}. */
    static Alert stored(Row r, Instant stamp) {
        return Alert.of(r.getString("alert_id"), r.getString("rule"), r.getString("severity"), r.getString("message"),
                        r.getString("key"), Rows.instant(r, "first_seen"), Rows.instant(r, "last_seen"), r.getLong("count"), false, stamp)
                .labelled(AlertRows.labels(r), AlertRows.silencedBy(r))
                .resolvedAt(Rows.instant(r, "resolved_at"));
    }

    /** The transition reached notification: no longer owed. */
    private void told(String alertId, char transition) {
        execute("UPDATE monitor.alerts SET notify_pending = NULLIF(replace(notify_pending, $2, ''), '') WHERE alert_id = $1",
                alertId, String.valueOf(transition));
    }

    /** An attempt failed: free for the next round at once rather than at the end of the lease. */
    private void release(Instant now, String... alertIds) {
        execute("UPDATE monitor.alerts SET notify_attempted_at = $2 WHERE alert_id = ANY($1)", alertIds,
                utc(now.minus(LEASE).minusSeconds(1)));
    }

    private void execute(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(List.of(params))).await().atMost(TIMEOUT);
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
