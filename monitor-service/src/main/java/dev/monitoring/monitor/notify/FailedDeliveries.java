package dev.monitoring.monitor.notify;

import dev.monitoring.model.api.Alert;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.LogText;
import dev.monitoring.monitor.notify.config.NotifyFile;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code notification_failed}: a receiver whose notification ended in its dead letters. Raised once per episode
 * across replicas (a Redis key taken with NX), recorded and published like every alert (so dashboards show it), and
 * sent straight to the {@code fallback_receivers} (never routed, so a failing route cannot swallow it, and a failing
 * fallback cannot loop). It resolves when a later notification to that receiver is accepted.
 */
@ApplicationScoped
public class FailedDeliveries {
    public static final String RULE = "notification_failed";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final Pool pool;
    private final EventCodec codec;
    private final DeliveryConfig config;
    private final NotifyFile file;
    private final String alertsChannel;

    public FailedDeliveries(ReactiveRedisDataSource redis, Pool pool, EventCodec codec, DeliveryConfig config, NotifyFile file,
                            ChannelsConfig channels) {
        this.redis = redis;
        this.pool = pool;
        this.codec = codec;
        this.config = config;
        this.file = file;
        this.alertsChannel = channels.alerts();
    }

    private String episodeKey(String receiver) {
        return config.keyPrefix() + ":failing:" + receiver;
    }

    void failed(String receiver, int attempts, String reason) {
        String id = UUID.randomUUID().toString();
        var taken = redis.execute("SET", episodeKey(receiver), id, "NX").await().atMost(TIMEOUT);
        if (taken == null) {
            return; // this receiver's failure is already told
        }
        Instant now = Instant.now();
        String message = "Notifications to receiver '" + receiver + "' failed " + attempts + " times and went to its dead letters: "
                + (reason == null ? "" : reason);
        Map<String, String> labels = Map.of("rule", RULE, "severity", "critical", "receiver", receiver);
        Alert alert = Alert.of(id, RULE, "critical", message, RULE + ":" + receiver, now, now, 1, false, now).labelled(labels);
        Log.errorf("ALERT [%s] %s", RULE, LogText.safe(message));
        try {
            pool.preparedQuery("""
                    INSERT INTO monitor.alerts (alert_id, rule, severity, message, key, first_seen, last_seen, count,
                        last_notified_at, labels) VALUES ($1, $2, 'critical', $3, $4, $5, $5, 1, $5, $6::jsonb) ON CONFLICT DO NOTHING""")
                    .execute(Tuple.of(id, RULE, message, RULE + ":" + receiver, now.atOffset(ZoneOffset.UTC), new io.vertx.core.json.JsonObject(new LinkedHashMap<String, Object>(labels))))
                    .await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            Log.warnf("notification_failed for %s not recorded (PostgreSQL away?): %s", LogText.safe(receiver), e.getMessage());
        }
        try {
            redis.pubsub(String.class).publish(alertsChannel, codec.encode(alert)).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            Log.warnf("notification_failed for %s not published: %s", LogText.safe(receiver), e.getMessage());
        }
        List<String> fallbacks = file.current().fallbackReceivers();
        int n = 0;
        for (String fallback : fallbacks) {
            if (fallback.equals(receiver)) {
                continue;
            }
            FallbackEntry entry = new FallbackEntry(id + "-" + n++, fallback, RULE + " {receiver=" + receiver + "}", "firing", true,
                    now.toEpochMilli(), List.of(alert));
            redis.execute("XADD", config.ledgerStream(), "MAXLEN", "~", Long.toString(config.ledgerMaxLength()), "*",
                    "notification", codec.encode(entry)).await().atMost(TIMEOUT);
        }
    }

    /** A notification to this receiver was accepted: its notification_failed, if any, ends. */
    void recovered(String receiver) {
        var deleted = redis.execute("DEL", episodeKey(receiver)).await().atMost(TIMEOUT);
        if (deleted == null || deleted.toLong() == 0) {
            return;
        }
        Log.infof("Alert resolved [%s] receiver %s accepts notifications again", RULE, LogText.safe(receiver));
        try {
            pool.preparedQuery("UPDATE monitor.alerts SET resolved_at = now() WHERE key = $1 AND resolved_at IS NULL")
                    .execute(Tuple.of(RULE + ":" + receiver)).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            Log.warnf("notification_failed for %s not resolved in PostgreSQL: %s", LogText.safe(receiver), e.getMessage());
        }
    }

    /** A ledger entry as notify-flush.lua writes them, marked {@code fallback}: it goes to a fallback receiver. */
    record FallbackEntry(@JsonProperty("notification_id") String notificationId, String receiver,
                         @JsonProperty("group_key") String groupKey, String status, boolean fallback,
                         @JsonProperty("created_at") long createdAt, List<Alert> alerts) {
    }
}
