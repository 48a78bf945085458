package dev.monitoring.monitor.alerts;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.monitor.api.Rows;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Evaluates the {@link AlertRules} and de-duplicates: a condition that starts holding opens one
 * alert (published, stored); while it keeps holding, the stored alert is updated and re-published
 * as a reminder once per reminder interval; when it stops holding, the alert is resolved, so a
 * later recurrence is a new alert.
 * <p>
 * Several monitor replicas evaluate the same rules against the same tables, so every decision to publish
 * is taken by the database: a new alert is published only by the replica whose insert created the open
 * row, a reminder only by the replica whose conditional update moved last_notified_at.
 */
@ApplicationScoped
public class AlertEngine {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final AlertRules rules;
    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final EventCodec codec;
    private final String channel;
    private final AlertsConfig config;

    public AlertEngine(AlertRules rules, Pool pool, ReactiveRedisDataSource redis, EventCodec codec,
                       ChannelsConfig channels, AlertsConfig config) {
        this.rules = rules;
        this.pool = pool;
        this.redis = redis;
        this.codec = codec;
        this.channel = channels.alerts();
        this.config = config;
    }

    @Scheduled(every = "${monitor.alerts.evaluate-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEvaluation() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            Log.warnf("Alert evaluation failed, retrying at the next tick: %s", e.getMessage());
        }
    }

    /** One evaluation round, blocking; returns the alerts published (new ones and reminders). */
    public synchronized List<Map<String, Object>> evaluate() {
        List<AlertCondition> holding = rules.evaluate().await().atMost(TIMEOUT);
        Map<String, Row> open = new HashMap<>();
        for (Row r : pool.query("SELECT * FROM monitor.alerts WHERE resolved_at IS NULL").execute().await().atMost(TIMEOUT)) {
            open.put(r.getString("key"), r);
        }
        Instant now = Instant.now();
        List<Map<String, Object>> published = new java.util.ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AlertCondition c : holding) {
            seen.add(c.key());
            Row existing = open.get(c.key());
            if (existing == null) {
                Map<String, Object> opened = open(c, now);
                if (opened != null) {
                    published.add(opened);
                }
            } else {
                published.addAll(update(existing, c, now));
            }
        }
        open.keySet().stream().filter(k -> !seen.contains(k)).forEach(k -> resolve(open.get(k), now));
        return published;
    }

    /** Returns the published alert, or null when another replica opened it first (the open-key index). */
    private Map<String, Object> open(AlertCondition c, Instant now) {
        String id = UUID.randomUUID().toString();
        Instant firstSeen = c.firstSeen() == null ? now : c.firstSeen();
        Instant lastSeen = c.lastSeen() == null ? now : c.lastSeen();
        int inserted = execute("""
                INSERT INTO monitor.alerts (alert_id, rule, severity, message, key, first_seen, last_seen, count, last_notified_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT DO NOTHING""",
                id, c.rule(), c.severity(), c.message(), c.key(), utc(firstSeen), utc(lastSeen), c.count(), utc(now));
        if (inserted == 0) {
            return null;
        }
        Map<String, Object> alert = json(id, c.rule(), c.severity(), c.message(), c.key(), firstSeen, lastSeen, c.count(), false, now);
        Log.warnf("ALERT [%s] %s", c.rule(), c.message());
        publish(alert);
        return alert;
    }

    private List<Map<String, Object>> update(Row existing, AlertCondition c, Instant now) {
        String id = existing.getString("alert_id");
        Instant lastNotified = Rows.instant(existing, "last_notified_at");
        boolean remind = !now.isBefore(lastNotified.plus(config.reminderInterval()));
        Instant lastSeen = c.lastSeen() == null ? now : c.lastSeen();
        if (remind) {
            // claims the reminder: a replica that reminded meanwhile moved last_notified_at past the cut-off,
            // so this UPDATE (re-checked after the row lock) hits nothing and this replica stays silent
            remind = execute("""
                    UPDATE monitor.alerts SET message = $2, count = $3, last_seen = $4, last_notified_at = $5,
                        reminders = reminders + 1
                    WHERE alert_id = $1 AND resolved_at IS NULL AND last_notified_at <= $6""",
                    id, c.message(), c.count(), utc(lastSeen), utc(now), utc(now.minus(config.reminderInterval()))) > 0;
        }
        if (!remind) {
            execute("UPDATE monitor.alerts SET message = $2, count = $3, last_seen = $4 WHERE alert_id = $1",
                    id, c.message(), c.count(), utc(lastSeen));
            return List.of();
        }
        Map<String, Object> alert = json(id, c.rule(), c.severity(), c.message(), c.key(),
                Rows.instant(existing, "first_seen"), lastSeen, c.count(), true, now);
        publish(alert);
        return List.of(alert);
    }

    private void resolve(Row existing, Instant now) {
        if (execute("UPDATE monitor.alerts SET resolved_at = $2 WHERE alert_id = $1 AND resolved_at IS NULL",
                existing.getString("alert_id"), utc(now)) > 0) {
            Log.infof("Alert resolved [%s] %s", existing.getString("rule"), existing.getString("key"));
        }
    }

    private void publish(Map<String, Object> alert) {
        try {
            redis.pubsub(String.class).publish(channel, codec.encode(alert)).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // the alert is stored; the channel is best effort while Redis is away
            Log.warnf("Could not publish alert %s on '%s': %s", alert.get("alert_id"), channel, e.getMessage());
        }
    }

    /** Returns the number of rows the statement hit. */
    private int execute(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().atMost(TIMEOUT).rowCount();
    }

    static Map<String, Object> json(String id, String rule, String severity, String message, String key, Instant firstSeen,
                                    Instant lastSeen, long count, boolean reminder, Instant timestamp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alert_id", id);
        m.put("rule", rule);
        m.put("severity", severity);
        m.put("message", message);
        m.put("key", key);
        m.put("first_seen", firstSeen);
        m.put("last_seen", lastSeen);
        m.put("count", count);
        m.put("reminder", reminder);
        m.put("timestamp", timestamp);
        return m;
    }

    private static java.time.OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
