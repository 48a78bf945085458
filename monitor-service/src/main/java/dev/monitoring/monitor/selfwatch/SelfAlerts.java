package dev.monitoring.monitor.selfwatch;

import dev.monitoring.model.api.Alert;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.LogText;
import dev.monitoring.monitor.alerts.AlertCondition;
import dev.monitoring.monitor.alerts.AlertEngine;
import dev.monitoring.monitor.notify.AlertNotifier;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.UUID;

/**
 * Raises the monitor's alerts about itself without depending on what failed: a new one is published on the alerts
 * channel at once (dashboards see it live while PostgreSQL is down) and recorded in {@code monitor.alerts} as soon as
 * PostgreSQL takes it; publishing and recording are each retried at every check until they work. An alert that
 * stopped holding is resolved (recorded with its end, even when it was never recorded while open).
 *
 * <p>The rows stay current ({@code last_seen} moves at every check), so any replica can resolve the open self-alerts
 * of a replica that is gone: those whose {@code last_seen} stopped moving.
 */
@ApplicationScoped
public class SelfAlerts {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    /** A replica's open self-alert not refreshed for this long belongs to a replica that is gone. */
    private static final Duration ORPHANED_AFTER = Duration.ofMinutes(2);

    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final EventCodec codec;
    private final String channel;
    private final Map<String, Raised> raised = new LinkedHashMap<>();

    private final AlertNotifier notifier;

    public SelfAlerts(Pool pool, ReactiveRedisDataSource redis, EventCodec codec, ChannelsConfig channels, AlertNotifier notifier) {
        this.notifier = notifier;
        this.pool = pool;
        this.redis = redis;
        this.codec = codec;
        this.channel = channels.alerts();
    }

    /** One self-alert of this replica, from raised to resolved. */
    private static final class Raised {
        final String id = UUID.randomUUID().toString();
        final Instant firstSeen;
        AlertCondition condition;
        Instant resolvedAt;
        boolean published;
        boolean recorded;

        Raised(AlertCondition condition, Instant now) {
            this.condition = condition;
            this.firstSeen = now;
        }
    }

    /** Called by the one self-watch thread at every check. */
    synchronized void apply(List<AlertCondition> holding, Instant now) {
        Set<String> keys = new HashSet<>();
        for (AlertCondition c : holding) {
            keys.add(c.key());
            Raised r = raised.get(c.key());
            if (r != null && r.resolvedAt != null) {
                // back before its end was recorded: the same alert again, said again
                r.resolvedAt = null;
                r.published = false;
                Log.errorf("SELF-ALERT [%s] again: %s", c.rule(), LogText.safe(c.message()));
            } else if (r == null) {
                r = new Raised(c, now);
                raised.put(c.key(), r);
                Log.errorf("SELF-ALERT [%s] %s", c.rule(), LogText.safe(c.message()));
            }
            r.condition = c;
        }
        for (Raised r : raised.values()) {
            if (r.resolvedAt == null && !keys.contains(r.condition.key())) {
                r.resolvedAt = now;
                Log.infof("Self-alert resolved [%s] %s", r.condition.rule(), LogText.safe(r.condition.key()));
                if (!r.published) {
                    // raised while Redis was away (what it says, often) and over before it could be told: its start
                    // and end go out together, so the on-call learns of the outage once Redis is back
                    notifier.fired(alert(r, now), r.condition.labels());
                }
                notifier.resolved(alert(r, now).resolvedAt(now), r.condition.labels());
            }
        }
        boolean database = true;
        for (Iterator<Raised> it = raised.values().iterator(); it.hasNext(); ) {
            Raised r = it.next();
            if (!r.published && r.resolvedAt == null) {
                r.published = publish(r, now);
            }
            if (database) {
                database = record(r, now);
                if (database && r.resolvedAt != null) {
                    it.remove();
                }
            }
        }
        if (database) {
            resolveOrphans(now);
        }
    }

    /** What this replica has raised and not yet seen resolved (and recorded so). */
    public synchronized List<AlertCondition> open() {
        List<AlertCondition> open = new ArrayList<>();
        raised.values().stream().filter(r -> r.resolvedAt == null).forEach(r -> open.add(r.condition));
        return open;
    }

    private boolean publish(Raised r, Instant now) {
        AlertCondition c = r.condition;
        try {
            Alert alert = alert(r, now);
            redis.pubsub(String.class).publish(channel, codec.encode(alert)).await().atMost(CALL_TIMEOUT);
            // Redis answers: the notification can be queued too (it needs Redis only, so it goes out while PostgreSQL is away);
            // if it could not be, the next check publishes and queues again
            return notifier.fired(alert, c.labels());
        } catch (RuntimeException e) {
            return false; // Redis is away: the next check tries again, the row is recorded meanwhile if PostgreSQL is there
        }
    }

    private static Alert alert(Raised r, Instant now) {
        AlertCondition c = r.condition;
        return Alert.of(r.id, c.rule(), c.severity(), c.message(), c.key(), r.firstSeen, now, c.count(), false, now)
                .labelled(c.labels(), List.of());
    }

    /** Brings the row up to date; false while PostgreSQL does not answer. */
    private boolean record(Raised r, Instant now) {
        AlertCondition c = r.condition;
        try {
            if (!r.recorded) {
                pool.preparedQuery("""
                        INSERT INTO monitor.alerts (alert_id, rule, severity, message, key, first_seen, last_seen, count,
                                                    last_notified_at, resolved_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        ON CONFLICT DO NOTHING""")
                        .execute(Tuple.from(new Object[] {r.id, c.rule(), c.severity(), c.message(), c.key(), utc(r.firstSeen),
                                utc(now), c.count(), utc(r.firstSeen), utc(r.resolvedAt)}))
                        .await().atMost(CALL_TIMEOUT);
                r.recorded = true;
            } else {
                pool.preparedQuery("UPDATE monitor.alerts SET message = $2, last_seen = $3, resolved_at = $4 WHERE alert_id = $1")
                        .execute(Tuple.of(r.id, c.message(), utc(now), utc(r.resolvedAt)))
                        .await().atMost(CALL_TIMEOUT);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void resolveOrphans(Instant now) {
        try {
            pool.preparedQuery("""
                    UPDATE monitor.alerts SET resolved_at = $2
                    WHERE resolved_at IS NULL AND rule = ANY($1) AND last_seen < $3""")
                    .execute(Tuple.of(AlertEngine.SELF_RULES, utc(now), utc(now.minus(ORPHANED_AFTER))))
                    .await().atMost(CALL_TIMEOUT);
        } catch (RuntimeException e) {
            // the next check tries again
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
