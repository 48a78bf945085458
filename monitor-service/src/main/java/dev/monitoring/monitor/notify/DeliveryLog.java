package dev.monitoring.monitor.notify;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.notify.receivers.Notification;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery status people read ({@code GET /api/notifications}, the dashboard): one row per notification, updated
 * at every attempt and told to the live dashboards. Best effort: the ledger stream is what makes delivery lossless, so
 * a status that cannot be written while PostgreSQL is away is only logged.
 */
@ApplicationScoped
public class DeliveryLog {
    public static final String SENT = "sent";
    public static final String RETRYING = "retrying";
    public static final String FAILED = "failed";
    public static final String SILENCED = "silenced";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final EventCodec codec;
    private final String channel;
    private volatile long lastWarning;

    public DeliveryLog(Pool pool, ReactiveRedisDataSource redis, EventCodec codec, ChannelsConfig channels) {
        this.pool = pool;
        this.redis = redis;
        this.codec = codec;
        this.channel = channels.notifications();
    }

    public void record(Notification n, String status, int attempts, String lastError) {
        Instant now = Instant.now();
        String kind = n.test() ? "test" : n.status();
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> a : n.alerts()) {
            Map<String, Object> brief = new LinkedHashMap<>();
            for (String k : List.of("alert_id", "rule", "severity", "message", "key")) {
                brief.put(k, a.get(k));
            }
            alerts.add(brief);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("notification_id", n.id());
        row.put("receiver", n.receiver());
        row.put("group_key", n.groupKey());
        row.put("kind", kind);
        row.put("status", status);
        row.put("attempts", attempts);
        row.put("last_error", lastError);
        row.put("alerts", alerts);
        row.put("updated_at", now);
        try {
            pool.preparedQuery("""
                    INSERT INTO monitor.notifications (notification_id, receiver, group_key, kind, status, attempts, last_error,
                        alerts, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9)
                    ON CONFLICT (notification_id) DO UPDATE SET status = $5, attempts = $6, last_error = $7, updated_at = $9""")
                    .execute(Tuple.from(List.of(n.id(), n.receiver(), n.groupKey(), kind, status, attempts,
                            lastError == null ? "" : lastError, new JsonArray(new ArrayList<Object>(alerts)), now.atOffset(ZoneOffset.UTC))))
                    .await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            warn("Delivery status of %s not recorded (PostgreSQL away?): %s", n.id(), e.getMessage());
        }
        try {
            redis.pubsub(String.class).publish(channel, codec.encode(Map.of("type", "delivery", "notification", row)))
                    .await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            warn("Delivery status of %s not told to live dashboards: %s", n.id(), e.getMessage());
        }
    }

    /** Newest first; status and receiver narrow it when given. */
    public List<Map<String, Object>> recent(int limit, String status, String receiver) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : pool.preparedQuery("""
                SELECT * FROM monitor.notifications WHERE ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR receiver = $3)
                ORDER BY updated_at DESC LIMIT $1""").execute(Tuple.of(limit, status, receiver)).await().atMost(TIMEOUT)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("notification_id", r.getString("notification_id"));
            m.put("receiver", r.getString("receiver"));
            m.put("group_key", r.getString("group_key"));
            m.put("kind", r.getString("kind"));
            m.put("status", r.getString("status"));
            m.put("attempts", r.getInteger("attempts"));
            String error = r.getString("last_error");
            m.put("last_error", error == null || error.isEmpty() ? null : error);
            Object alerts = r.getValue("alerts");
            m.put("alerts", alerts instanceof JsonArray a ? a.getList() : List.of());
            m.put("created_at", Rows.instant(r, "created_at"));
            m.put("updated_at", Rows.instant(r, "updated_at"));
            list.add(m);
        }
        return list;
    }

    /** Rate-limited: a PostgreSQL outage during a burst of deliveries says so once every 30 s. */
    private void warn(String format, Object... args) {
        long now = System.currentTimeMillis();
        if (now - lastWarning > 30_000) {
            lastWarning = now;
            Log.warnf(format, args);
        }
    }
}
