package dev.monitoring.monitor.selfwatch;

import dev.monitoring.model.api.Alert;
import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.monitor.alerts.AlertCondition;
import dev.monitoring.monitor.alerts.AlertEngine;
import dev.monitoring.monitor.ingest.pubsub.RedisEventSubscriber;
import dev.monitoring.monitor.ingest.stream.StreamConsumer;
import dev.monitoring.monitor.ingest.stream.StreamLag;
import dev.monitoring.monitor.retention.DayPartitions;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The monitor watching itself: a stuck or dead worker, PostgreSQL or the Redis subscription away for too long, a
 * stream backlog, an alert rule that fails. Each is raised by {@link SelfAlerts}, which needs neither PostgreSQL nor
 * the alert rules to work: the very things these conditions are about. Conditions are per replica (the key names it),
 * since each replica can fail on its own.
 */
@ApplicationScoped
public class SelfWatch {
    private static final Set<String> INGEST_WORKERS = Set.of("ingest-writer", "stream-consumer", "redis-subscriber");
    /** Nothing is lost while these hold; the other conditions stop or endanger ingest or alerting. */
    private static final Set<String> WARNINGS = Set.of("stream_backlog", "day_partition_missing");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Heartbeats heartbeats;
    private final RedisEventSubscriber subscriber;
    private final StreamConsumer streams;
    private final StreamLag lag;
    private final AlertEngine engine;
    private final Pool pool;
    private final SelfAlerts alerts;
    private final SelfWatchConfig config;
    private final DayPartitions days;
    private final String instance;
    private final Heartbeat heartbeat;
    private Instant postgresDownSince;
    private String postgresError;

    public SelfWatch(Heartbeats heartbeats, RedisEventSubscriber subscriber, StreamConsumer streams, StreamLag lag,
                     AlertEngine engine, Pool pool, SelfAlerts alerts, SelfWatchConfig config, DayPartitions days) {
        this.heartbeats = heartbeats;
        this.subscriber = subscriber;
        this.streams = streams;
        this.lag = lag;
        this.engine = engine;
        this.pool = pool;
        this.alerts = alerts;
        this.config = config;
        this.days = days;
        this.instance = streams.consumer();
        // registered when made: CDI makes the bean once, at start-up or at the scheduler's first tick
        this.heartbeat = heartbeats.register("self-watch");
    }

    void onStart(@Observes StartupEvent event) {
        if ("off".equals(config.checkEvery())) {
            heartbeat.idle();
        }
    }

    @Scheduled(every = "${monitor.self-watch.check-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCheck() {
        heartbeat.beat();
        try {
            check();
        } finally {
            heartbeat.beat(DurationConverter.parseDuration(config.checkEvery()));
        }
    }

    /** One look: raises what holds now, resolves what stopped holding; returns what holds. */
    public synchronized List<AlertCondition> check() {
        Instant now = Instant.now();
        List<AlertCondition> holding = conditions(now);
        alerts.apply(holding, now);
        return holding;
    }

    public String instance() {
        return instance;
    }

    List<AlertCondition> conditions(Instant now) {
        List<AlertCondition> holding = new ArrayList<>();
        for (Heartbeat.Status s : heartbeats.statuses()) {
            if (!s.state().alive()) {
                String rule = INGEST_WORKERS.contains(s.worker()) ? "ingest_stalled" : "worker_stalled";
                holding.add(condition(rule, s.worker(), "Monitor " + instance + ": worker '" + s.worker() + "' is "
                        + s.state().name().toLowerCase() + " (" + s.reason() + "); liveness is DOWN so the orchestrator restarts it", now));
            }
        }
        probePostgres(now);
        if (postgresDownSince != null && !now.isBefore(postgresDownSince.plus(config.postgresDownAfter()))) {
            holding.add(condition("postgres_unreachable", "postgres", "Monitor " + instance + " cannot reach PostgreSQL for "
                    + Duration.between(postgresDownSince, now).toSeconds() + " s (" + postgresError
                    + "): events wait in the ingest buffer and the streams, alerts are not evaluated", now));
        }
        Instant subscriptionDown = subscriber.downSince();
        if (subscriptionDown != null && !now.isBefore(subscriptionDown.plus(config.subscriptionDownAfter()))) {
            holding.add(condition("redis_subscription_down", "subscription", "Monitor " + instance + " has had no Redis subscription to "
                    + subscriber.channels() + " for " + Duration.between(subscriptionDown, now).toSeconds()
                    + " s: events published meanwhile reach it only through the streams", now));
        }
        if (streams.enabled()) {
            lag.snapshots().forEach((stream, s) -> {
                boolean lagging = s.lag() != null && s.lag() > config.streamLagThreshold();
                boolean stuck = s.oldestPendingAgeMillis() != null && s.oldestPendingAgeMillis() > config.streamPendingAgeThreshold().toMillis();
                if (lagging || stuck) {
                    holding.add(condition("stream_backlog", stream, "Stream " + stream + " is behind: " + s.lag() + " entries unread (threshold "
                            + config.streamLagThreshold() + "), " + s.pending() + " read but not stored, the oldest for "
                            + (s.oldestPendingAgeMillis() == null ? 0 : s.oldestPendingAgeMillis() / 1000) + " s", now));
                }
            });
        }
        days.missingSoon().forEach(m -> holding.add(condition("day_partition_missing", m.partition(),
                m.table() + " has no partition for " + m.day() + " (" + m.reason() + "): its rows are stored in " + m.table()
                        + "_default, kept, but aged out row by row instead of dropped with their day", now)));
        engine.failingRules().forEach((rule, reason) -> holding.add(condition("alert_rule_failed", rule,
                "Alert rule '" + rule + "' fails on " + instance + " (" + reason + "): its alerts are not raised; the other rules work", now)));
        return holding;
    }

    /** Its own look at PostgreSQL, so the verdict does not depend on the writer having something to write. */
    private void probePostgres(Instant now) {
        try {
            pool.query("SELECT 1").execute().await().atMost(PROBE_TIMEOUT);
            postgresDownSince = null;
            postgresError = null;
        } catch (RuntimeException e) {
            if (postgresDownSince == null) {
                postgresDownSince = now;
            }
            postgresError = LogText.safe(String.valueOf(e.getMessage()), 200);
        }
    }

    private AlertCondition condition(String rule, String subject, String message, Instant now) {
        String severity = WARNINGS.contains(rule) ? "warning" : "critical";
        return new AlertCondition(rule, rule + ":" + subject + "@" + instance, severity, message, 1, now, now);
    }
}
