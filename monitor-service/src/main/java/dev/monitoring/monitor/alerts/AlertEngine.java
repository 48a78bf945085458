package dev.monitoring.monitor.alerts;

import dev.monitoring.model.api.Alert;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.notify.config.NotifyDurations;
import dev.monitoring.monitor.silences.SilenceStore;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    /** Alerts the self-watch raises and resolves itself (they must be raised while PostgreSQL is away). */
    public static final String[] SELF_RULES = {"alert_rule_failed", "ingest_stalled", "worker_stalled", "postgres_unreachable",
            "redis_subscription_down", "stream_backlog", "day_partition_missing"};
    /** Alerts raised and resolved elsewhere, which no rule of the engine holds (the self-alerts, failed deliveries). */
    private static final String[] NOT_OF_RULES = java.util.stream.Stream.concat(Arrays.stream(SELF_RULES),
            java.util.stream.Stream.of("notification_failed")).toArray(String[]::new);

    /**
     * Rules whose query outlived the query timeout. Giving up on an answer does not stop the statement: it keeps its
     * pool connection until PostgreSQL ends it (a table locked by a long transaction, say). Asked again every round,
     * such a rule took one more connection each time, and within seconds of such a lock the stuck statements held the
     * whole pool, ingest's writer included. Such a rule is not asked again until its earlier query has ended.
     */
    private final Map<String, Unanswered> unanswered = new HashMap<>();

    private record Unanswered(CompletableFuture<List<AlertCondition>> answer, Instant askedAt) {
    }

    private final AlertRules rules;
    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final EventCodec codec;
    private final String channel;
    private final AlertsConfig config;
    private final Heartbeats heartbeats;
    private final RuleHealth ruleHealth;
    private final AlertNotifications notifications;
    private final SilenceStore silences;
    private volatile Heartbeat heartbeat;
    private volatile String databaseFailure;

    public AlertEngine(AlertRules rules, Pool pool, ReactiveRedisDataSource redis, EventCodec codec,
                       ChannelsConfig channels, AlertsConfig config, Heartbeats heartbeats, RuleHealth ruleHealth,
                       AlertNotifications notifications, SilenceStore silences) {
        this.notifications = notifications;
        this.silences = silences;
        this.heartbeats = heartbeats;
        this.ruleHealth = ruleHealth;
        this.rules = rules;
        this.pool = pool;
        this.redis = redis;
        this.codec = codec;
        this.channel = channels.alerts();
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        Heartbeat h = registeredHeartbeat();
        if ("off".equals(config.evaluateEvery())) {
            h.idle();
        }
    }

    /** Registered by whichever comes first, start-up or the first tick (the scheduler may fire before start-up ends). */
    private synchronized Heartbeat registeredHeartbeat() {
        if (heartbeat == null) {
            heartbeat = heartbeats.register("alert-evaluator");
        }
        return heartbeat;
    }

    @Scheduled(every = "${monitor.alerts.evaluate-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEvaluation() {
        Heartbeat heartbeat = registeredHeartbeat();
        heartbeat.beat();
        try {
            evaluate();
            databaseFailure = null;
        } catch (RuntimeException e) {
            // the open alerts could not be read: PostgreSQL is away (its own self-alert says so), not a rule
            if (databaseFailure == null) {
                Log.warnf("Alert evaluation cannot read the open alerts, retrying at every tick: %s", LogText.safe(e.getMessage()));
            }
            databaseFailure = e.getMessage();
        } finally {
            heartbeat.beat(DurationConverter.parseDuration(config.evaluateEvery()));
        }
    }

    /** The rule's conditions now, or a failure: its query failed, gave no answer in time, or still runs from before. */
    private List<AlertCondition> conditionsOf(AlertRules.Rule rule) {
        Unanswered earlier = unanswered.get(rule.name());
        if (earlier != null) {
            if (!earlier.answer().isDone()) {
                throw new IllegalStateException("its query of " + earlier.askedAt() + " is still running in PostgreSQL ("
                        + Duration.between(earlier.askedAt(), Instant.now()).toSeconds()
                        + " s); not asked again until it ends");
            }
            unanswered.remove(rule.name());
        }
        Instant askedAt = Instant.now();
        CompletableFuture<List<AlertCondition>> answer = rule.conditions().get().subscribeAsCompletionStage();
        try {
            return answer.get(config.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            unanswered.put(rule.name(), new Unanswered(answer, askedAt));
            throw new IllegalStateException("no answer from PostgreSQL within " + NotifyDurations.format(config.queryTimeout()));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * One evaluation round, blocking; returns the alerts published (new ones and reminders). Each rule is evaluated on
     * its own: a rule that fails is counted, reported by {@link #failingRules()} and its open alerts stay as they are
     * (whether its condition still holds is unknown), while every other rule goes on as usual.
     */
    public synchronized List<Alert> evaluate() {
        Map<String, Row> open = new HashMap<>();
        for (Row r : pool.preparedQuery("SELECT * FROM monitor.alerts WHERE resolved_at IS NULL AND NOT (rule = ANY($1))")
                .execute(Tuple.of(NOT_OF_RULES)).await().atMost(config.queryTimeout())) {
            open.put(r.getString("key"), r);
        }
        Instant now = Instant.now();
        List<Alert> published = new java.util.ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> failed = new HashSet<>();
        List<Map<String, String>> holdingLabels = new java.util.ArrayList<>();
        for (AlertRules.Rule rule : rules.all()) {
            List<AlertCondition> holding;
            try {
                holding = conditionsOf(rule);
                ruleHealth.succeeded(rule.name());
            } catch (RuntimeException e) {
                failed.add(rule.name());
                ruleHealth.failed(rule.name(), e);
                continue;
            } finally {
                beat();
            }
            for (AlertCondition c : holding) {
                seen.add(c.key());
                holdingLabels.add(c.labels());
                Row existing = open.get(c.key());
                if (existing == null) {
                    Alert opened = open(c, now);
                    if (opened != null) {
                        published.add(opened);
                    }
                } else {
                    published.addAll(update(existing, c, now));
                }
            }
        }
        List<Map<String, String>> resolvedLabels = new java.util.ArrayList<>();
        for (Row r : open.values()) {
            if (failed.contains(r.getString("rule"))) {
                holdingLabels.add(AlertRows.labels(r));
            } else if (!seen.contains(r.getString("key")) && resolve(r, now)) {
                resolvedLabels.add(AlertRows.labels(r));
            }
        }
        if (!resolvedLabels.isEmpty()) {
            silences.alertsResolved(resolvedLabels, holdingLabels);
        }
        notifications.queueOwed(now);
        return published;
    }

    /** A replica built by hand (a test) has no heartbeat of its own. */
    private void beat() {
        if (heartbeat != null) {
            heartbeat.beat();
        }
    }

    /** Rules whose last evaluation threw, with the reason; empty when every rule works. */
    public Map<String, String> failingRules() {
        return ruleHealth.failing();
    }

    /** Why the last scheduled round could not even start (PostgreSQL away), null when it could. */
    public String databaseFailure() {
        return databaseFailure;
    }

    /** Returns the published alert, or null when another replica opened it first (the open-key index). */
    private Alert open(AlertCondition c, Instant now) {
        String id = UUID.randomUUID().toString();
        Instant firstSeen = c.firstSeen() == null ? now : c.firstSeen();
        Instant lastSeen = c.lastSeen() == null ? now : c.lastSeen();
        List<String> silencedBy = silences.silencing(c.labels(), now);
        int inserted = execute("""
                INSERT INTO monitor.alerts (alert_id, rule, severity, message, key, first_seen, last_seen, count, last_notified_at,
                    labels, silenced_by, notify_pending, notify_attempted_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, 'F', $9)
                ON CONFLICT DO NOTHING""",
                id, c.rule(), c.severity(), c.message(), c.key(), utc(firstSeen), utc(lastSeen), c.count(), utc(now),
                new io.vertx.core.json.JsonObject(new LinkedHashMap<String, Object>(c.labels())), silencedBy.toArray(String[]::new));
        if (inserted == 0) {
            return null;
        }
        // stamped when it is raised, not when the round began: the stamp is what delivery latency is measured from
        Alert alert = Alert.of(id, c.rule(), c.severity(), c.message(), c.key(), firstSeen, lastSeen, c.count(), false,
                Instant.now()).labelled(c.labels(), silencedBy);
        Log.warnf("ALERT [%s] %s%s", c.rule(), LogText.safe(c.message()), silencedBy.isEmpty() ? "" : " (silenced)");
        publish(alert);
        notifications.fired(alert, c.labels(), now);
        return alert;
    }

    private List<Alert> update(Row existing, AlertCondition c, Instant now) {
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
        Alert alert = Alert.of(id, c.rule(), c.severity(), c.message(), c.key(), Rows.instant(existing, "first_seen"), lastSeen,
                c.count(), true, now);
        publish(alert);
        return List.of(alert);
    }

    /** True when this replica resolved it (another may have been first). */
    private boolean resolve(Row existing, Instant now) {
        String id = existing.getString("alert_id");
        // the end is owed to notification with the start if that is still owed: the retry queues both, in order.
        // Only an end told right here takes the lease; one owed with its start is left to this round's retry (leased
        // here, it sat unclaimed for the whole lease, and an alert raised and ended in a Redis outage was told 15 s
        // after Redis came back)
        var owed = pool.preparedQuery("""
                UPDATE monitor.alerts SET resolved_at = $2, notify_pending = coalesce(notify_pending, '') || 'R',
                    notify_attempted_at = CASE WHEN notify_pending IS NULL THEN $2 ELSE notify_attempted_at END
                WHERE alert_id = $1 AND resolved_at IS NULL RETURNING notify_pending""")
                .execute(Tuple.of(id, utc(now))).await().atMost(config.queryTimeout());
        if (owed.rowCount() == 0) {
            return false;
        }
        Log.infof("Alert resolved [%s] %s", existing.getString("rule"), LogText.safe(existing.getString("key")));
        if ("R".equals(owed.iterator().next().getString("notify_pending"))) {
            notifications.resolved(AlertNotifications.stored(existing, now).resolvedAt(now), AlertRows.labels(existing), now);
        }
        return true;
    }

    private void publish(Alert alert) {
        try {
            redis.pubsub(String.class).publish(channel, codec.encode(alert)).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // the alert is stored; the channel is best effort while Redis is away
            Log.warnf("Could not publish alert %s on '%s': %s", alert.alertId(), channel, e.getMessage());
        }
    }

    /** Returns the number of rows the statement hit. */
    private int execute(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().atMost(config.queryTimeout()).rowCount();
    }

    private static java.time.OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
