package dev.monitoring.monitor.groups;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.model.api.ErrorDetail;
import dev.monitoring.model.api.ErrorGroupActivity;
import dev.monitoring.model.api.ErrorGroupDetail;
import dev.monitoring.model.api.ErrorGroupIndex;
import dev.monitoring.model.grouping.FingerprintRule;
import dev.monitoring.monitor.api.Rows;
import dev.monitoring.monitor.errors.ErrorQueries;
import dev.monitoring.monitor.errors.ReleaseKey;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The error groups and what people do to them. Every action changes the groups and records itself in the activity in
 * one statement, so the trail cannot miss an action nor hold one that did not happen; the changed groups are then
 * told to the live dashboards on the notifications channel.
 */
@ApplicationScoped
public class GroupStore {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A bulk action changes at most this many groups; the answer says how many it changed. */
    static final int MAX_BULK = 1000;
    /** Changed groups told to live dashboards one by one; a larger bulk action is told as one "bulk" message. */
    private static final int MAX_TOLD = 100;

    private static final String CLEAR_IGNORE = "ignore_until = NULL, ignore_more_than = NULL, ignore_count_base = NULL, "
            + "ignore_rate_per_hour = NULL, reopened_at = NULL";

    private static final String CLEAR_RELEASE = "resolved_in_release = NULL, resolved_release_key = NULL, "
            + "release_after_resolve_key = NULL";

    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final EventCodec codec;
    private final String channel;

    public GroupStore(Pool pool, ReactiveRedisDataSource redis, EventCodec codec, ChannelsConfig channels) {
        this.pool = pool;
        this.redis = redis;
        this.codec = codec;
        this.channel = channels.notifications();
    }

    public List<ErrorGroup> list(GroupFilter filter, String orderBy, int limit) {
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        params.add(limit);
        String sql = "SELECT g.* FROM monitor.error_groups g WHERE " + where + " ORDER BY " + orderBy + " LIMIT $" + params.size();
        List<ErrorGroup> out = new ArrayList<>();
        for (Row r : pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT)) {
            out.add(GroupRows.group(r));
        }
        return out;
    }

    public Optional<ErrorGroup> find(String fingerprint) {
        for (Row r : pool.preparedQuery("SELECT g.* FROM monitor.error_groups g WHERE g.fingerprint = $1")
                .execute(Tuple.of(fingerprint)).await().atMost(TIMEOUT)) {
            return Optional.of(GroupRows.group(r));
        }
        return Optional.empty();
    }

    /** A group in depth: occurrences per hour, latest errors, most hit symbols and jobs; empty when there is none. */
    public Optional<ErrorGroupDetail> detail(String fingerprint, int hours, int latest) {
        Optional<ErrorGroup> group = find(fingerprint);
        if (group.isEmpty()) {
            return Optional.empty();
        }
        Tuple window = Tuple.of(fingerprint, hours);
        List<ErrorGroupDetail.Bucket> buckets = new ArrayList<>();
        for (Row r : pool.preparedQuery("""
                SELECT date_trunc('hour', received_at) AS start, count(*) AS n FROM monitor.error_logs
                WHERE fingerprint = $1 AND received_at >= now() - make_interval(hours => $2)
                GROUP BY 1 ORDER BY 1""").execute(window).await().atMost(TIMEOUT)) {
            buckets.add(new ErrorGroupDetail.Bucket(Rows.instant(r, "start"), r.getLong("n")));
        }
        List<ErrorDetail> newest = new ArrayList<>();
        for (Row r : pool.preparedQuery("SELECT * FROM monitor.error_logs WHERE fingerprint = $1 ORDER BY received_at DESC LIMIT $2")
                .execute(Tuple.of(fingerprint, latest)).await().atMost(TIMEOUT)) {
            newest.add(ErrorQueries.detail(r));
        }
        return Optional.of(new ErrorGroupDetail(group.get(), hours, buckets, newest, top(window, "symbol"), top(window, "operation")));
    }

    /** The values of a column with the most errors of the group within the hours (at most 20). */
    private List<ErrorGroupDetail.Count> top(Tuple window, String column) {
        List<ErrorGroupDetail.Count> counts = new ArrayList<>();
        for (Row r : pool.preparedQuery("SELECT " + column + " AS name, count(*) AS n FROM monitor.error_logs "
                        + "WHERE fingerprint = $1 AND received_at >= now() - make_interval(hours => $2) AND " + column
                        + " IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20")
                .execute(window).await().atMost(TIMEOUT)) {
            counts.add(new ErrorGroupDetail.Count(r.getString("name"), r.getLong("n")));
        }
        return counts;
    }

    /** The rules, merges and ignored groups, for consumers that find an error's group themselves (the gateway). */
    public ErrorGroupIndex index(List<FingerprintRule> rules) {
        Map<String, String> merges = new TreeMap<>();
        for (Row r : pool.query("SELECT fingerprint, into_fingerprint FROM monitor.error_group_merges").execute()
                .await().atMost(TIMEOUT)) {
            merges.put(r.getString(0), r.getString(1));
        }
        List<String> ignored = new ArrayList<>();
        for (Row r : pool.query("SELECT fingerprint FROM monitor.error_groups WHERE state = 'ignored' AND merged_into IS NULL "
                + "ORDER BY fingerprint").execute().await().atMost(TIMEOUT)) {
            ignored.add(r.getString(0));
        }
        return new ErrorGroupIndex(rules, merges, ignored);
    }

    public List<ErrorGroupActivity> activity(String fingerprint, int limit) {
        List<ErrorGroupActivity> out = new ArrayList<>();
        for (Row r : pool.preparedQuery("SELECT * FROM monitor.error_group_activity WHERE fingerprint = $1 ORDER BY id DESC LIMIT $2")
                .execute(Tuple.of(fingerprint, limit)).await().atMost(TIMEOUT)) {
            out.add(GroupRows.activity(r));
        }
        return out;
    }

    /** Acts on one group; empty when there is none with this fingerprint. */
    public Optional<ErrorGroup> act(String fingerprint, GroupAction action) {
        List<Object> params = new ArrayList<>();
        params.add(fingerprint);
        List<ErrorGroup> changed = apply("g.fingerprint = $1", params, action, 1);
        return changed.stream().findFirst();
    }

    /** Acts on every group the filter selects, up to {@link #MAX_BULK} (most recently seen first). */
    public List<ErrorGroup> bulk(GroupFilter filter, GroupAction action) {
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        return apply(where, params, action, MAX_BULK);
    }

    private List<ErrorGroup> apply(String where, List<Object> params, GroupAction action, int limit) {
        String set = switch (action.action()) {
            case "resolved" -> {
                params.add(action.inRelease());
                int release = params.size();
                int[] releaseKey = ReleaseKey.key(action.inRelease());
                params.add(releaseKey == null ? null : java.util.Arrays.stream(releaseKey).boxed().toArray(Integer[]::new));
                int key = params.size();
                yield "state = 'resolved', resolved_at = now(), resolved_in_release = $" + release
                        + "::text, resolved_release_key = $" + key + "::int[], release_after_resolve_key = NULL, " + CLEAR_IGNORE;
            }
            case "unresolved" -> "state = 'unresolved', " + CLEAR_RELEASE + ", " + CLEAR_IGNORE;
            case "ignored" -> {
                ErrorGroup.Ignore i = action.ignore();
                params.add(i.until() == null ? null : i.until().atOffset(ZoneOffset.UTC));
                int until = params.size();
                params.add(i.moreThan());
                int moreThan = params.size();
                params.add(i.ratePerHour());
                int rate = params.size();
                yield "state = 'ignored', " + CLEAR_RELEASE + ", ignore_until = $" + until + "::timestamptz, ignore_more_than = $" + moreThan
                        + "::bigint, ignore_count_base = g.count, ignore_rate_per_hour = $" + rate + "::bigint, reopened_at = NULL";
            }
            default -> throw new IllegalArgumentException(action.action());
        };
        params.add(action.action());
        int act = params.size();
        params.add(action.actor());
        int actor = params.size();
        params.add(action.comment());
        int comment = params.size();
        params.add(new JsonObject(action.detail()));
        int detail = params.size();
        params.add(limit);
        int max = params.size();
        // The rows are locked in a fixed order, so two bulk actions over overlapping sets wait rather than deadlock.
        String sql = """
                WITH target AS (
                    SELECT g.fingerprint, g.state AS was FROM monitor.error_groups g WHERE %s
                    ORDER BY g.last_seen DESC, g.fingerprint LIMIT $%d FOR UPDATE),
                changed AS (
                    UPDATE monitor.error_groups g SET %s, state_changed_at = now()
                    FROM target t WHERE g.fingerprint = t.fingerprint RETURNING g.*, t.was),
                logged AS (
                    INSERT INTO monitor.error_group_activity (fingerprint, action, actor, comment, detail)
                    SELECT fingerprint, $%d, $%d, $%d, $%d::jsonb || jsonb_build_object('from', was) FROM changed)
                SELECT * FROM changed ORDER BY last_seen DESC""".formatted(where, max, set, act, actor, comment, detail);
        List<ErrorGroup> changed = new ArrayList<>();
        for (Row r : pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT)) {
            changed.add(GroupRows.group(r));
        }
        tell(action.action(), changed);
        return changed;
    }

    /** Tells live dashboards of changed groups; a failure to tell does not undo the change, which stays stored. */
    void tell(String action, List<ErrorGroup> changed) {
        if (changed.isEmpty()) {
            return;
        }
        try {
            var pubsub = redis.pubsub(String.class);
            if (changed.size() > MAX_TOLD) {
                pubsub.publish(channel, "{\"type\":\"group\",\"action\":\"bulk\",\"count\":" + changed.size() + "}")
                        .await().atMost(Duration.ofSeconds(5));
                return;
            }
            for (ErrorGroup g : changed) {
                pubsub.publish(channel, codec.encode(new ErrorGroup.Message("group", action, g))).await().atMost(Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            Log.warnf("Could not tell live dashboards of %d changed error groups: %s", changed.size(), e.getMessage());
        }
    }
}
