package dev.monitoring.monitor.notify;

import dev.monitoring.model.api.DeliveryRecord;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.OncePer;
import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.notify.receivers.Notification;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
    private final OncePer warning = new OncePer(Duration.ofSeconds(30));

    public DeliveryLog(Pool pool, ReactiveRedisDataSource redis, EventCodec codec, ChannelsConfig channels) {
        this.pool = pool;
        this.redis = redis;
        this.codec = codec;
        this.channel = channels.notifications();
    }

    public void record(Notification n, String status, int attempts, String lastError) {
        Instant now = Instant.now();
        String kind = n.test() ? "test" : n.status();
        List<DeliveryRecord.Brief> alerts = n.alerts().stream().map(a -> new DeliveryRecord.Brief(text(a, "alert_id"),
                text(a, "rule"), text(a, "severity"), text(a, "message"), text(a, "key"))).toList();
        DeliveryRecord row = new DeliveryRecord(n.id(), n.receiver(), n.groupKey(), kind, status, attempts, lastError, alerts, null,
                now);
        try {
            pool.preparedQuery("""
                    INSERT INTO monitor.notifications (notification_id, receiver, group_key, kind, status, attempts, last_error,
                        alerts, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9)
                    ON CONFLICT (notification_id) DO UPDATE SET status = $5, attempts = $6, last_error = $7, updated_at = $9""")
                    .execute(Tuple.from(List.of(n.id(), n.receiver(), n.groupKey(), kind, status, attempts,
                            lastError == null ? "" : lastError, new JsonArray(codec.encode(alerts)), now.atOffset(ZoneOffset.UTC))))
                    .await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            warn("Delivery status of %s not recorded (PostgreSQL away?): %s", n.id(), e.getMessage());
        }
        try {
            redis.pubsub(String.class).publish(channel, codec.encode(DeliveryRecord.Message.of(row)))
                    .await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            warn("Delivery status of %s not told to live dashboards: %s", n.id(), e.getMessage());
        }
    }

    /** Newest first; status and receiver narrow it when given. */
    public List<DeliveryRecord> recent(int limit, String status, String receiver) {
        List<DeliveryRecord> list = new ArrayList<>();
        for (Row r : pool.preparedQuery("""
                SELECT * FROM monitor.notifications WHERE ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR receiver = $3)
                ORDER BY updated_at DESC LIMIT $1""").execute(Tuple.of(limit, status, receiver)).await().atMost(TIMEOUT)) {
            String error = r.getString("last_error");
            Object alerts = r.getValue("alerts");
            List<DeliveryRecord.Brief> briefs = new ArrayList<>();
            if (alerts instanceof JsonArray a) {
                for (int i = 0; i < a.size(); i++) {
                    JsonObject o = a.getJsonObject(i);
                    briefs.add(new DeliveryRecord.Brief(o.getString("alert_id"), o.getString("rule"), o.getString("severity"),
                            o.getString("message"), o.getString("key")));
                }
            }
            list.add(new DeliveryRecord(r.getString("notification_id"), r.getString("receiver"), r.getString("group_key"),
                    r.getString("kind"), r.getString("status"), r.getInteger("attempts"),
                    error == null || error.isEmpty() ? null : error, briefs, Rows.instant(r, "created_at"),
                    Rows.instant(r, "updated_at")));
        }
        return list;
    }

    /** A field of an alert's JSON as text (null when absent), as the delivery record keeps it. */
    private static String text(Map<String, Object> alert, String key) {
        Object v = alert.get(key);
        return v == null ? null : v.toString();
    }

    /** Rate-limited: a PostgreSQL outage during a burst of deliveries says so once every 30 s. */
    private void warn(String format, Object... args) {
        if (warning.due()) {
            Log.warnf(format, args);
        }
    }
}
