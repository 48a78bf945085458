package dev.monitoring.monitor.groups;

import dev.monitoring.model.api.ErrorGroup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * What the monitor notices about groups by itself, at each alert evaluation: a resolved group that got an error that
 * occurred after the resolve has regressed; an ignored group whose condition is met is back. Each change is one
 * conditional UPDATE that records itself in the activity, so with several monitors each change happens (and is
 * recorded and told) once: the second replica's update finds the row no longer matching.
 */
@ApplicationScoped
public class GroupStates {
    private static final String REGRESS = """
            WITH changed AS (
                UPDATE monitor.error_groups g SET state = 'regressed', state_changed_at = now()
                WHERE g.state = 'resolved' AND g.last_occurred > g.resolved_at AND g.merged_into IS NULL
                  -- resolved in a release: only an error of a later one
                  AND (g.resolved_release_key IS NULL OR g.release_after_resolve_key > g.resolved_release_key)
                RETURNING g.*),
            logged AS (
                INSERT INTO monitor.error_group_activity (fingerprint, action, actor, detail)
                SELECT fingerprint, 'regressed', 'monitor', jsonb_strip_nulls(jsonb_build_object('from', 'resolved',
                    'resolved_at', resolved_at, 'occurred_at', last_occurred, 'error_id', last_error_id,
                    'resolved_in_release', resolved_in_release,
                    'release', array_to_string(release_after_resolve_key, '.'))) FROM changed)
            SELECT * FROM changed""";

    /** Why an ignore ends: its time passed, more errors than allowed since, or more than allowed within the last hour. */
    private static final String REOPEN = """
            WITH due AS (
                SELECT g.fingerprint, CASE
                    WHEN g.ignore_until IS NOT NULL AND g.ignore_until <= now() THEN 'until'
                    WHEN g.ignore_more_than IS NOT NULL AND g.count - g.ignore_count_base > g.ignore_more_than THEN 'more_than'
                    ELSE 'rate_per_hour' END AS reason,
                    g.ignore_until, g.ignore_more_than, g.ignore_rate_per_hour, g.count - g.ignore_count_base AS since_ignored
                FROM monitor.error_groups g
                WHERE g.state = 'ignored' AND g.merged_into IS NULL AND (
                    (g.ignore_until IS NOT NULL AND g.ignore_until <= now())
                    OR (g.ignore_more_than IS NOT NULL AND g.count - g.ignore_count_base > g.ignore_more_than)
                    OR (g.ignore_rate_per_hour IS NOT NULL AND (SELECT count(*) FROM monitor.error_logs e
                        WHERE e.fingerprint = g.fingerprint AND e.received_at >= now() - interval '1 hour') > g.ignore_rate_per_hour))
                FOR UPDATE),
            changed AS (
                UPDATE monitor.error_groups g SET state = 'unresolved', state_changed_at = now(), reopened_at = now(),
                    ignore_until = NULL, ignore_more_than = NULL, ignore_count_base = NULL, ignore_rate_per_hour = NULL
                FROM due d WHERE g.fingerprint = d.fingerprint AND g.state = 'ignored' RETURNING g.*),
            logged AS (
                INSERT INTO monitor.error_group_activity (fingerprint, action, actor, detail)
                SELECT d.fingerprint, 'reopened', 'monitor', jsonb_strip_nulls(jsonb_build_object('from', 'ignored',
                    'reason', d.reason, 'until', d.ignore_until, 'more_than', d.ignore_more_than,
                    'rate_per_hour', d.ignore_rate_per_hour, 'since_ignored', d.since_ignored))
                FROM due d JOIN changed c ON c.fingerprint = d.fingerprint)
            SELECT * FROM changed""";

    private final Pool pool;
    private final GroupStore store;

    public GroupStates(Pool pool, GroupStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** Moves resolved groups with a newer error to regressed; then the groups regressed now (the regression alerts). */
    public Uni<List<ErrorGroup>> regressed() {
        return changes(REGRESS, "regressed")
                .chain(() -> groups("SELECT * FROM monitor.error_groups WHERE state = 'regressed' AND merged_into IS NULL"));
    }

    /** Reopens ignored groups whose condition is met; then the groups back from an ignore that nobody acted on since. */
    public Uni<List<ErrorGroup>> reopened() {
        return changes(REOPEN, "reopened")
                .chain(() -> groups("SELECT * FROM monitor.error_groups WHERE state = 'unresolved' AND reopened_at IS NOT NULL AND merged_into IS NULL"));
    }

    private Uni<Void> changes(String sql, String action) {
        return groups(sql).chain(changed -> changed.isEmpty() ? Uni.createFrom().voidItem()
                // told from a worker thread: telling waits for Redis, and this runs on the evaluation's chain
                : Uni.createFrom().item(() -> {
                    store.tell(action, changed);
                    return (Void) null;
                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    private Uni<List<ErrorGroup>> groups(String sql) {
        return pool.query(sql).execute().map(rows -> {
            List<ErrorGroup> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(GroupRows.group(r));
            }
            return list;
        });
    }
}
