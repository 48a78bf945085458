package dev.monitoring.monitor.silences;

import dev.monitoring.model.api.SilenceView;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.LogText;
import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.labels.LabelMatcher;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
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
import java.util.Optional;
import java.util.UUID;

/**
 * The silences, in PostgreSQL, with the live ones cached so deciding whether an alert is silenced never waits for the
 * database (and still works, on the last known silences, while it is away). Every replica refreshes its cache every
 * few seconds and at once after its own changes; changes are told to the live dashboards on the notifications channel.
 */
@ApplicationScoped
public class SilenceStore {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final EventCodec codec;
    private final String channel;
    private volatile List<Silence> live = List.of();
    private volatile boolean loaded;

    public SilenceStore(Pool pool, ReactiveRedisDataSource redis, EventCodec codec, ChannelsConfig channels) {
        this.pool = pool;
        this.redis = redis;
        this.codec = codec;
        this.channel = channels.notifications();
    }

    /** The ids of the silences that silence an alert with these labels now (empty: it is not silenced). */
    public List<String> silencing(Map<String, String> labels, Instant now) {
        if (!loaded) {
            refreshQuietly();
        }
        List<String> ids = new ArrayList<>();
        for (Silence s : live) {
            if (s.activeAt(now) && s.matches(labels)) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    @Scheduled(every = "${monitor.notify.silences-refresh-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            Log.debugf("Silences not refreshed (the last known ones stay in force): %s", e.getMessage());
        }
    }

    /** Reloads the silences that are not expired. */
    public void refresh() {
        List<Silence> fresh = new ArrayList<>();
        for (Row r : pool.query("SELECT * FROM monitor.silences WHERE expired_at IS NULL AND (ends_at IS NULL OR ends_at > now())")
                .execute().await().atMost(TIMEOUT)) {
            fresh.add(silence(r));
        }
        live = List.copyOf(fresh);
        loaded = true;
    }

    public Silence create(SilenceRequest request) {
        Silence s = request.toSilence(UUID.randomUUID().toString(), Instant.now());
        execute("""
                INSERT INTO monitor.silences (id, matchers, starts_at, ends_at, comment, created_by, end_on_resolve, cron,
                    duration_seconds, created_at) VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9, $10)""",
                s.id(), new JsonArray(matchersJson(s.matchers())), utc(s.startsAt()), utc(s.endsAt()), s.comment(), s.createdBy(),
                s.endOnResolve(), s.cron(), s.duration() == null ? null : s.duration().toSeconds(), utc(s.createdAt()));
        Log.infof("Silence %s made by %s: %s", s.id(), LogText.safe(s.createdBy()), LogText.safe(s.comment()));
        changed("created", s);
        return s;
    }

    /** Ends a silence now; empty when there is none with this id. */
    public Optional<Silence> expire(String id) {
        Instant now = Instant.now();
        execute("UPDATE monitor.silences SET expired_at = $2 WHERE id = $1 AND expired_at IS NULL", id, utc(now));
        Optional<Silence> s = find(id);
        s.ifPresent(x -> changed("expired", x));
        return s;
    }

    /**
     * Ends the silences made to end with their alert ({@code end_on_resolve}): those that match an alert that just
     * resolved and no alert that still holds, so a silence over several alerts lasts until the last of them ends.
     */
    public void alertsResolved(List<Map<String, String>> resolved, List<Map<String, String>> stillHolding) {
        Instant now = Instant.now();
        for (Silence s : live) {
            if (s.endOnResolve() && s.activeAt(now) && resolved.stream().anyMatch(s::matches)
                    && stillHolding.stream().noneMatch(s::matches)) {
                expire(s.id());
                Log.infof("Silence %s ended with the alert it silenced", s.id());
            }
        }
    }

    public Optional<Silence> find(String id) {
        for (Row r : pool.preparedQuery("SELECT * FROM monitor.silences WHERE id = $1").execute(Tuple.of(id)).await().atMost(TIMEOUT)) {
            return Optional.of(silence(r));
        }
        return Optional.empty();
    }

    /** state: active, pending, expired, all; null: every silence not expired. Newest first. */
    public List<Silence> list(String state, int limit) {
        Instant now = Instant.now();
        List<Silence> out = new ArrayList<>();
        for (Row r : pool.preparedQuery("SELECT * FROM monitor.silences ORDER BY created_at DESC LIMIT $1")
                .execute(Tuple.of(Math.max(limit * 4, 200))).await().atMost(TIMEOUT)) {
            Silence s = silence(r);
            String st = s.state(now);
            boolean wanted = state == null ? !"expired".equals(st) : "all".equals(state) || state.equals(st);
            if (wanted && out.size() < limit) {
                out.add(s);
            }
        }
        return out;
    }

    private void changed(String action, Silence s) {
        refreshQuietly();
        SilenceView.Message frame = new SilenceView.Message("silence", action, s.view(Instant.now()));
        try {
            redis.pubsub(String.class).publish(channel, codec.encode(frame)).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            Log.warnf("Could not tell live dashboards of silence %s: %s", s.id(), e.getMessage());
        }
    }

    private static Silence silence(Row r) {
        List<LabelMatcher> matchers = new ArrayList<>();
        Object raw = r.getValue("matchers");
        JsonArray array = raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
        for (int i = 0; i < array.size(); i++) {
            var m = array.getJsonObject(i);
            matchers.add(SilenceRequest.matcher(m.getString("label"), m.getString("value"), m.getBoolean("regex", false)));
        }
        Long seconds = r.getLong("duration_seconds");
        return new Silence(r.getString("id"), matchers, Rows.instant(r, "starts_at"), Rows.instant(r, "ends_at"),
                r.getString("comment"), r.getString("created_by"), r.getBoolean("end_on_resolve"), r.getString("cron"),
                seconds == null ? null : Duration.ofSeconds(seconds), Rows.instant(r, "created_at"), Rows.instant(r, "expired_at"));
    }

    private static List<Object> matchersJson(List<LabelMatcher> matchers) {
        List<Object> list = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            list.add(new io.vertx.core.json.JsonObject().put("label", m.label()).put("value", m.value()).put("regex", m.regex()));
        }
        return list;
    }

    private void execute(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.asList(params))).await().atMost(TIMEOUT);
    }

    private static java.time.OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
