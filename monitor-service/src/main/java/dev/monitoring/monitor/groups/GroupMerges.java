package dev.monitoring.monitor.groups;

import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.monitor.api.BadParameterException;
import dev.monitoring.monitor.ingest.store.MergeLock;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merging groups that are one problem, and undoing it. A merge moves the source's stored errors to the target (each
 * keeps its own fingerprint as its origin) and records the merge, which every later batch of the ingest applies: it
 * sticks for new events of either fingerprint. Both run under the exclusive {@link MergeLock}, so no batch writes
 * between the move and the record. An unmerge gives the source its errors back and recounts it.
 */
@ApplicationScoped
public class GroupMerges {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final GroupStore store;

    public GroupMerges(Pool pool, GroupStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** Merges {@code source} into {@code into}; the target group as it is afterwards. */
    public ErrorGroup merge(String source, String into, String actor, String comment) {
        if (into == null || into.isBlank()) {
            throw new BadParameterException("into", "'into' must name the fingerprint of the group to merge into");
        }
        if (into.equals(source)) {
            throw new BadParameterException("into", "a group cannot be merged into itself");
        }
        ErrorGroup target = pool.withTransaction(conn -> lock(conn)
                .chain(() -> groups(conn, source, into))
                .chain(found -> {
                    checkMergeable(found, source, into);
                    return run(conn, """
                            INSERT INTO monitor.error_group_merges (fingerprint, into_fingerprint, merged_by) VALUES ($1, $2, $3)""",
                            Tuple.of(source, into, actor))
                            // groups merged into the source before now follow it into the target
                            .chain(() -> run(conn, "UPDATE monitor.error_group_merges SET into_fingerprint = $2 WHERE into_fingerprint = $1",
                                    Tuple.of(source, into)))
                            .chain(() -> run(conn, """
                                    UPDATE monitor.error_logs SET origin_fingerprint = coalesce(origin_fingerprint, fingerprint),
                                        fingerprint = $2 WHERE fingerprint = $1""", Tuple.of(source, into)))
                            .chain(() -> run(conn, """
                                    UPDATE monitor.error_groups t SET count = t.count + s.count,
                                        first_seen = least(t.first_seen, s.first_seen), last_seen = greatest(t.last_seen, s.last_seen),
                                        last_occurred = greatest(t.last_occurred, s.last_occurred),
                                        last_error_id = CASE WHEN s.last_seen > t.last_seen THEN s.last_error_id ELSE t.last_error_id END
                                    FROM monitor.error_groups s WHERE t.fingerprint = $2 AND s.fingerprint = $1""", Tuple.of(source, into)))
                            .chain(() -> run(conn, """
                                    UPDATE monitor.error_groups SET merged_into = $2, state_changed_at = now()
                                    WHERE fingerprint = $1 OR merged_into = $1""", Tuple.of(source, into)))
                            .chain(() -> activity(conn, source, "merged", actor, comment, Map.of("into", into)))
                            .chain(() -> activity(conn, into, "merged", actor, comment, Map.of("from", source)))
                            .chain(() -> groups(conn, source, into))
                            .map(after -> after.get(into));
                })).await().atMost(TIMEOUT);
        store.find(source).ifPresent(s -> store.tell("merged", List.of(s, target)));
        return target;
    }

    /** Gives a merged group its errors back; the group as it is afterwards. */
    public ErrorGroup unmerge(String source, String actor, String comment) {
        // the source first, then the group it was merged into
        List<ErrorGroup> changed = pool.withTransaction(conn -> lock(conn)
                .chain(() -> conn.preparedQuery("SELECT into_fingerprint FROM monitor.error_group_merges WHERE fingerprint = $1")
                        .execute(Tuple.of(source)))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("error group " + source + " is not merged into another");
                    }
                    String into = rows.iterator().next().getString(0);
                    return run(conn, "DELETE FROM monitor.error_group_merges WHERE fingerprint = $1", Tuple.of(source))
                            .chain(() -> conn.preparedQuery("""
                                    WITH moved AS (UPDATE monitor.error_logs SET fingerprint = origin_fingerprint, origin_fingerprint = NULL
                                        WHERE fingerprint = $2 AND origin_fingerprint = $1 RETURNING 1)
                                    SELECT count(*) FROM moved""").execute(Tuple.of(source, into)))
                            .chain(moved -> {
                                long n = moved.iterator().next().getLong(0);
                                return run(conn, "UPDATE monitor.error_groups SET count = greatest(count - $2, 0) WHERE fingerprint = $1",
                                        Tuple.of(into, n));
                            })
                            // recounted from the errors it got back (its old figures where retention left none)
                            .chain(() -> run(conn, """
                                    UPDATE monitor.error_groups g SET merged_into = NULL, state_changed_at = now(),
                                        count = CASE WHEN x.n > 0 THEN x.n ELSE g.count END,
                                        first_seen = coalesce(x.first_seen, g.first_seen), last_seen = coalesce(x.last_seen, g.last_seen),
                                        last_occurred = coalesce(x.last_occurred, g.last_occurred),
                                        last_error_id = coalesce(x.last_error_id, g.last_error_id)
                                    FROM (SELECT count(*) AS n, min(received_at) AS first_seen, max(received_at) AS last_seen,
                                                 max(occurred_at) AS last_occurred,
                                                 (array_agg(error_id ORDER BY received_at DESC))[1] AS last_error_id
                                          FROM monitor.error_logs WHERE fingerprint = $1) x
                                    WHERE g.fingerprint = $1""", Tuple.of(source)))
                            .chain(() -> activity(conn, source, "unmerged", actor, comment, Map.of("from", into)))
                            .chain(() -> activity(conn, into, "unmerged", actor, comment, Map.of("gave_back", source)))
                            .chain(() -> groups(conn, source, into))
                            .map(after -> java.util.stream.Stream.of(after.get(source), after.get(into))
                                    .filter(java.util.Objects::nonNull).toList());
                })).await().atMost(TIMEOUT);
        store.tell("unmerged", changed);
        return changed.get(0);
    }

    private static void checkMergeable(Map<String, ErrorGroup> found, String source, String into) {
        ErrorGroup s = found.get(source);
        ErrorGroup t = found.get(into);
        if (s == null) {
            throw new NotFoundException("no error group " + source);
        }
        if (t == null) {
            throw new BadParameterException("into", "no error group " + into + " to merge into");
        }
        if (s.mergedInto() != null) {
            throw new BadParameterException("fingerprint", "error group " + source + " is already merged into " + s.mergedInto());
        }
        if (t.mergedInto() != null) {
            throw new BadParameterException("into", "error group " + into + " was merged into " + t.mergedInto() + ": merge into that one");
        }
    }

    private static Uni<Void> lock(SqlConnection conn) {
        return conn.query("SELECT pg_advisory_xact_lock(" + MergeLock.KEY + ")").execute().replaceWithVoid();
    }

    private static Uni<Map<String, ErrorGroup>> groups(SqlConnection conn, String a, String b) {
        return conn.preparedQuery("SELECT * FROM monitor.error_groups WHERE fingerprint = $1 OR fingerprint = $2 FOR UPDATE")
                .execute(Tuple.of(a, b)).map(rows -> {
                    Map<String, ErrorGroup> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(r.getString("fingerprint"), GroupRows.group(r));
                    }
                    return found;
                });
    }

    private static Uni<Void> run(SqlConnection conn, String sql, Tuple params) {
        return conn.preparedQuery(sql).execute(params).replaceWithVoid();
    }

    private static Uni<Void> activity(SqlConnection conn, String fingerprint, String action, String actor, String comment,
                                      Map<String, Object> detail) {
        return run(conn, """
                INSERT INTO monitor.error_group_activity (fingerprint, action, actor, comment, detail) VALUES ($1, $2, $3, $4, $5::jsonb)""",
                Tuple.of(fingerprint, action, actor, comment, new JsonObject(detail)));
    }
}
