package dev.monitoring.monitor.ingest.store;

import dev.monitoring.model.ErrorContext;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.grouping.ErrorFingerprint;
import dev.monitoring.monitor.errors.ReleaseKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.monitoring.monitor.ingest.store.SqlParams.arrays;
import static dev.monitoring.monitor.ingest.store.StoredText.clean;
import static dev.monitoring.monitor.ingest.store.StoredText.cleanContext;
import static dev.monitoring.monitor.ingest.store.StoredText.id;
import static dev.monitoring.monitor.ingest.store.StoredText.needsCleaning;

/**
 * The error rows of a batch: errors as one multi-row {@code INSERT ... SELECT FROM unnest(...)} of the error_ids it
 * could claim, then group and per-minute count upserts for exactly the rows that were inserted, so a
 * duplicate delivery counts nothing twice. Errors below the severity filter are not stored, so their error_ids are
 * claimed in {@code counted_events} instead: with several monitor replicas receiving the same event, only the one
 * whose claim inserted the id counts it.
 */
@ApplicationScoped
class ErrorRows {
    /**
     * Each error_id is claimed in error_ids first (error_logs is partitioned by day, so it cannot hold a unique index
     * on error_id itself), and only the claimed rows are stored. The first occurrence of an id in the batch is the one
     * kept; claims are taken in error_id order, so two replicas claiming the same ids wait instead of deadlocking.
     */
    private static final String INSERT_ERRORS = """
            WITH e AS (
                SELECT DISTINCT ON (u.error_id) u.*
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                            $15::text[]) WITH ORDINALITY
                    AS u(error_id, error_type, error_message, error_traceback, severity, category, component,
                         operation, symbol, timeframe, context, fingerprint, occurred_at, received_at, origin_fingerprint, n)
                ORDER BY u.error_id, u.n),
            claimed AS (
                INSERT INTO monitor.error_ids (error_id, received_at)
                SELECT e.error_id, e.received_at::timestamptz FROM e ORDER BY e.error_id
                ON CONFLICT (error_id) DO NOTHING
                RETURNING error_id)
            INSERT INTO monitor.error_logs (error_id, error_type, error_message, error_traceback, severity, category,
                component, operation, symbol, timeframe, context, fingerprint, occurred_at, received_at, origin_fingerprint)
            SELECT e.error_id, e.error_type, e.error_message, e.error_traceback, e.severity, e.category,
                e.component, e.operation, e.symbol, e.timeframe, e.context::jsonb, e.fingerprint,
                e.occurred_at::timestamptz, e.received_at::timestamptz, e.origin_fingerprint
            FROM e JOIN claimed USING (error_id)
            RETURNING error_id""";

    private static final String UPSERT_GROUPS = """
            INSERT INTO monitor.error_groups AS g (fingerprint, error_type, component, operation, message_pattern,
                severity, category, count, first_seen, last_seen, last_error_id, last_occurred, last_release_key)
            SELECT u.fingerprint, u.error_type, u.component, u.operation, u.message_pattern, u.severity, u.category,
                u.count::bigint, u.first_seen::timestamptz, u.last_seen::timestamptz, u.last_error_id,
                u.last_occurred::timestamptz, u.release_key::int[]
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
                AS u(fingerprint, error_type, component, operation, message_pattern, severity, category, count,
                     first_seen, last_seen, last_error_id, last_occurred, release_key)
            ON CONFLICT (fingerprint) DO UPDATE SET
                count = g.count + excluded.count,
                last_occurred = greatest(g.last_occurred, excluded.last_occurred),
                last_release_key = greatest(g.last_release_key, excluded.last_release_key),
                -- a group resolved in a release notes the newest release of the errors that occurred after it
                release_after_resolve_key = CASE
                    WHEN g.state = 'resolved' AND g.resolved_release_key IS NOT NULL AND excluded.last_occurred > g.resolved_at
                    THEN greatest(g.release_after_resolve_key, excluded.last_release_key)
                    ELSE g.release_after_resolve_key END,
                first_seen = least(g.first_seen, excluded.first_seen),
                last_seen = greatest(g.last_seen, excluded.last_seen),
                last_error_id = CASE WHEN excluded.last_seen >= g.last_seen THEN excluded.last_error_id ELSE g.last_error_id END,
                severity = CASE WHEN excluded.last_seen >= g.last_seen THEN excluded.severity ELSE g.severity END""";

    private static final String UPSERT_COUNTS = """
            INSERT INTO monitor.error_counts AS c (bucket, severity, category, count)
            SELECT u.bucket::timestamptz, u.severity, u.category, u.count::bigint
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(bucket, severity, category, count)
            ORDER BY 1, 2, 3
            ON CONFLICT (bucket, severity, category) DO UPDATE SET count = c.count + excluded.count""";

    /**
     * The same counts per UTC hour, after the minutes. Rows are locked in key order, minutes first, so two replicas
     * adding the same keys wait for each other instead of deadlocking.
     */
    private static final String UPSERT_HOURLY_COUNTS = """
            INSERT INTO monitor.error_counts_hourly AS h (hour, severity, category, count)
            SELECT date_trunc('hour', u.bucket::timestamptz, 'UTC'), u.severity, u.category, sum(u.count::bigint)
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(bucket, severity, category, count)
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            ON CONFLICT (hour, severity, category) DO UPDATE SET count = h.count + excluded.count""";

    /** Claims below-threshold error_ids; only the replica (and the delivery) that inserts one counts it. */
    private static final String CLAIM_FILTERED = """
            INSERT INTO monitor.counted_events (error_id)
            SELECT DISTINCT u.error_id FROM unnest($1::text[]) AS u(error_id)
            ON CONFLICT (error_id) DO NOTHING
            RETURNING error_id""";

    private final EventCodec codec;

    ErrorRows(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * Merges in force, read under a shared advisory lock that a merge or unmerge takes exclusively: a merge waits for
     * the batches being written and every later batch sees it, so no event slips into a group merged away.
     */
    private static final String MERGE_LOCK = "SELECT pg_advisory_xact_lock_shared(" + MergeLock.KEY + ")";
    private static final String MERGES = """
            SELECT fingerprint, into_fingerprint FROM monitor.error_group_merges WHERE fingerprint = ANY($1)""";

    /** Writes the batch's errors, groups and counts; the item is the error_ids actually inserted. */
    Uni<Set<String>> write(SqlConnection conn, Batch batch) {
        return mergesOf(conn, batch).flatMap(merged -> insertErrors(conn, batch, merged)
                .flatMap(inserted -> claimFiltered(conn, batch)
                        .call(claimed -> upsertCounts(conn, countsOf(batch, inserted, claimed)))
                        .replaceWith(inserted))
                .call(inserted -> upsertGroups(conn, batch, inserted, merged)));
    }

    /** Fingerprint to the group it was merged into, for the batch's fingerprints that were merged. */
    private Uni<Map<String, String>> mergesOf(SqlConnection conn, Batch batch) {
        if (batch.errors.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] fingerprints = batch.errors.stream().map(Batch.StoredError::fingerprint).distinct().toArray(String[]::new);
        return conn.query(MERGE_LOCK).execute()
                .flatMap(locked -> conn.preparedQuery(MERGES).execute(Tuple.tuple().addArrayOfString(fingerprints)))
                .map(rows -> {
                    Map<String, String> merged = new HashMap<>();
                    for (Row r : rows) {
                        merged.put(r.getString(0), r.getString(1));
                    }
                    return merged;
                });
    }

    private Uni<Set<String>> insertErrors(SqlConnection conn, Batch batch, Map<String, String> merged) {
        if (batch.errors.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = batch.errors.size();
        String[][] cols = new String[15][n];
        for (int i = 0; i < n; i++) {
            Batch.StoredError s = batch.errors.get(i);
            var e = s.event();
            var c = e.context();
            cols[0][i] = id(e.errorId());
            cols[1][i] = clean(e.errorType());
            cols[2][i] = clean(e.errorMessage());
            cols[3][i] = clean(e.errorTraceback());
            cols[4][i] = e.severity().wireName();
            cols[5][i] = e.category().wireName();
            cols[6][i] = clean(c.component());
            cols[7][i] = clean(c.operation());
            cols[8][i] = id(c.symbol());
            cols[9][i] = clean(c.timeframe());
            cols[10][i] = contextJson(c);
            String into = merged.get(s.fingerprint());
            cols[11][i] = into == null ? s.fingerprint() : into;
            cols[12][i] = e.timestamp().toString();
            cols[13][i] = s.raw().receivedAt().toString();
            cols[14][i] = into == null ? null : s.fingerprint();
        }
        return conn.preparedQuery(INSERT_ERRORS).execute(arrays(cols))
                .map(rows -> {
                    Set<String> ids = new HashSet<>();
                    for (Row row : rows) {
                        ids.add(row.getString(0));
                    }
                    return ids;
                });
    }

    private Uni<Set<String>> claimFiltered(SqlConnection conn, Batch batch) {
        if (batch.filtered.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] ids = batch.filtered.stream().map(Batch.Filtered::errorId).toArray(String[]::new);
        return conn.preparedQuery(CLAIM_FILTERED).execute(Tuple.tuple().addArrayOfString(ids))
                .map(rows -> {
                    Set<String> claimed = new HashSet<>();
                    for (Row row : rows) {
                        claimed.add(row.getString(0));
                    }
                    return claimed;
                });
    }

    private Map<Batch.CountKey, Long> countsOf(Batch batch, Set<String> inserted, Set<String> claimed) {
        Map<Batch.CountKey, Long> counts = new HashMap<>();
        Set<String> counted = new HashSet<>();
        for (Batch.Filtered f : batch.filtered) {
            if (claimed.contains(f.errorId()) && counted.add(f.errorId())) {
                counts.merge(f.key(), 1L, Long::sum);
            }
        }
        for (Batch.StoredError s : firstOfEachInserted(batch, inserted)) {
            counts.merge(Batch.CountKey.of(s.event().severity().wireName(), s.event().category().wireName(), s.raw().receivedAt()), 1L, Long::sum);
        }
        return counts;
    }

    /** The batch may hold the same error_id twice; only its first occurrence was inserted. */
    private static List<Batch.StoredError> firstOfEachInserted(Batch batch, Set<String> inserted) {
        Map<String, Batch.StoredError> first = new LinkedHashMap<>();
        for (Batch.StoredError s : batch.errors) {
            String id = id(s.event().errorId());
            if (inserted.contains(id)) {
                first.putIfAbsent(id, s);
            }
        }
        return new ArrayList<>(first.values());
    }

    private Uni<Void> upsertCounts(SqlConnection conn, Map<Batch.CountKey, Long> counts) {
        if (counts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[][] cols = new String[4][counts.size()];
        int i = 0;
        for (var entry : counts.entrySet()) {
            cols[0][i] = entry.getKey().bucket().toString();
            cols[1][i] = entry.getKey().severity();
            cols[2][i] = entry.getKey().category();
            cols[3][i] = entry.getValue().toString();
            i++;
        }
        Tuple params = arrays(cols);
        return conn.preparedQuery(UPSERT_COUNTS).execute(params)
                .flatMap(minutes -> conn.preparedQuery(UPSERT_HOURLY_COUNTS).execute(params))
                .replaceWithVoid();
    }

    private record GroupDelta(Batch.StoredError first, Batch.StoredError last, long count, Instant lastOccurred,
                              int[] release) {
    }

    private Uni<Void> upsertGroups(SqlConnection conn, Batch batch, Set<String> inserted, Map<String, String> merged) {
        Map<String, GroupDelta> groups = new LinkedHashMap<>();
        for (Batch.StoredError s : firstOfEachInserted(batch, inserted)) {
            groups.merge(merged.getOrDefault(s.fingerprint(), s.fingerprint()),
                    new GroupDelta(s, s, 1, s.event().timestamp(), ReleaseKey.key(ReleaseKey.of(s.event()))),
                    (a, b) -> new GroupDelta(a.first(), b.last(), a.count() + b.count(),
                            a.lastOccurred().isAfter(b.lastOccurred()) ? a.lastOccurred() : b.lastOccurred(),
                            ReleaseKey.later(a.release(), b.release())));
        }
        if (groups.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[][] cols = new String[13][groups.size()];
        int i = 0;
        for (var entry : groups.entrySet()) {
            var last = entry.getValue().last().event();
            cols[0][i] = entry.getKey();
            cols[1][i] = clean(last.errorType());
            cols[2][i] = clean(last.context().component());
            cols[3][i] = clean(last.context().operation());
            cols[4][i] = clean(ErrorFingerprint.normalise(last.errorMessage()));
            cols[5][i] = last.severity().wireName();
            cols[6][i] = last.category().wireName();
            cols[7][i] = Long.toString(entry.getValue().count());
            cols[8][i] = entry.getValue().first().raw().receivedAt().toString();
            cols[9][i] = entry.getValue().last().raw().receivedAt().toString();
            cols[10][i] = id(last.errorId());
            cols[11][i] = entry.getValue().lastOccurred().toString();
            cols[12][i] = ReleaseKey.literal(entry.getValue().release());
            i++;
        }
        return conn.preparedQuery(UPSERT_GROUPS).execute(arrays(cols)).replaceWithVoid();
    }

    /**
     * The context as jsonb input. jsonb refuses an escaped NUL and a lone surrogate, and the JSON text cannot be
     * patched (a literal backslash before "u0000" looks alike), so when the text shows one the context is cleaned
     * and encoded again;
     * the common case costs one encode and one scan.
     */
    String contextJson(ErrorContext c) {
        String json = codec.encode(c);
        return json.contains("\\u0000") || needsCleaning(json) ? codec.encode(cleanContext(c)) : json;
    }
}
