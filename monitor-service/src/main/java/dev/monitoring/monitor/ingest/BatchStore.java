package dev.monitoring.monitor.ingest;

import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.ExecutionStatus;
import dev.monitoring.monitor.errors.ErrorFingerprint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import dev.monitoring.model.ErrorContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a {@link Batch} in one transaction with a handful of set-based statements: errors as one
 * multi-row {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT (error_id) DO NOTHING RETURNING},
 * then group and per-minute count upserts for exactly the rows that were inserted, so a duplicate
 * delivery counts nothing twice. Errors below the severity filter are not stored, so their error_ids are
 * claimed in {@code counted_events} instead: with several monitor replicas receiving the same event,
 * only the one whose claim inserted the id counts it.
 */
@ApplicationScoped
class BatchStore {
    /** rejected_events keeps at most this many bytes of a payload. */
    static final int MAX_REJECTED_PAYLOAD_BYTES = 64 * 1024;

    private static final String INSERT_ERRORS = """
            INSERT INTO monitor.error_logs (error_id, error_type, error_message, error_traceback, severity, category,
                component, operation, symbol, timeframe, context, fingerprint, occurred_at, received_at)
            SELECT e.error_id, e.error_type, e.error_message, e.error_traceback, e.severity, e.category,
                e.component, e.operation, e.symbol, e.timeframe, e.context::jsonb, e.fingerprint,
                e.occurred_at::timestamptz, e.received_at::timestamptz
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
                AS e(error_id, error_type, error_message, error_traceback, severity, category, component,
                     operation, symbol, timeframe, context, fingerprint, occurred_at, received_at)
            ON CONFLICT (error_id) DO NOTHING
            RETURNING error_id""";

    private static final String UPSERT_GROUPS = """
            INSERT INTO monitor.error_groups AS g (fingerprint, error_type, component, operation, message_pattern,
                severity, category, count, first_seen, last_seen, last_error_id)
            SELECT u.fingerprint, u.error_type, u.component, u.operation, u.message_pattern, u.severity, u.category,
                u.count::bigint, u.first_seen::timestamptz, u.last_seen::timestamptz, u.last_error_id
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::text[], $11::text[])
                AS u(fingerprint, error_type, component, operation, message_pattern, severity, category, count,
                     first_seen, last_seen, last_error_id)
            ON CONFLICT (fingerprint) DO UPDATE SET
                count = g.count + excluded.count,
                first_seen = least(g.first_seen, excluded.first_seen),
                last_seen = greatest(g.last_seen, excluded.last_seen),
                last_error_id = CASE WHEN excluded.last_seen >= g.last_seen THEN excluded.last_error_id ELSE g.last_error_id END,
                severity = CASE WHEN excluded.last_seen >= g.last_seen THEN excluded.severity ELSE g.severity END""";

    private static final String UPSERT_COUNTS = """
            INSERT INTO monitor.error_counts AS c (bucket, severity, category, count)
            SELECT u.bucket::timestamptz, u.severity, u.category, u.count::bigint
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(bucket, severity, category, count)
            ON CONFLICT (bucket, severity, category) DO UPDATE SET count = c.count + excluded.count""";

    /** Claims below-threshold error_ids; only the replica (and the delivery) that inserts one counts it. */
    private static final String CLAIM_FILTERED = """
            INSERT INTO monitor.counted_events (error_id)
            SELECT DISTINCT u.error_id FROM unnest($1::text[]) AS u(error_id)
            ON CONFLICT (error_id) DO NOTHING
            RETURNING error_id""";

    private static final String INSERT_REJECTED = """
            INSERT INTO monitor.rejected_events (channel, reason, payload, received_at)
            SELECT u.channel, u.reason, u.payload, u.received_at::timestamptz
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(channel, reason, payload, received_at)""";

    private static final String UPSERT_EXECUTION = """
            INSERT INTO monitor.executions AS x (kind, execution_key, execution_id, batch_run_id, job, symbol, timeframe,
                status, started_at, completed_at, duration_seconds, records_processed, attempt, error_message,
                total_jobs, successful_jobs, failed_jobs, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            ON CONFLICT (kind, execution_key) DO UPDATE SET
                batch_run_id = coalesce(excluded.batch_run_id, x.batch_run_id),
                job = coalesce(excluded.job, x.job),
                symbol = coalesce(excluded.symbol, x.symbol),
                timeframe = coalesce(excluded.timeframe, x.timeframe),
                status = CASE WHEN excluded.status = 'running' AND x.status <> 'running' THEN x.status ELSE excluded.status END,
                started_at = coalesce(x.started_at, excluded.started_at),
                completed_at = coalesce(excluded.completed_at, x.completed_at),
                duration_seconds = coalesce(excluded.duration_seconds, x.duration_seconds),
                records_processed = coalesce(excluded.records_processed, x.records_processed),
                attempt = coalesce(excluded.attempt, x.attempt),
                error_message = coalesce(excluded.error_message, x.error_message),
                total_jobs = coalesce(excluded.total_jobs, x.total_jobs),
                successful_jobs = coalesce(excluded.successful_jobs, x.successful_jobs),
                failed_jobs = coalesce(excluded.failed_jobs, x.failed_jobs),
                updated_at = greatest(x.updated_at, excluded.updated_at)""";

    /** A failure never touches last_success_at; an older event never overrides a newer attempt's status. */
    private static final String UPSERT_FRESHNESS = """
            INSERT INTO monitor.freshness AS f (job, symbol, timeframe, last_success_at, last_attempt_at, last_status,
                last_error_message, data_point_count, fresh_seconds, stale_seconds)
            VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::bigint, 0), $9, $10)
            ON CONFLICT (job, symbol, timeframe) DO UPDATE SET
                last_success_at = greatest(f.last_success_at, excluded.last_success_at),
                last_status = CASE WHEN f.last_attempt_at IS NULL OR excluded.last_attempt_at >= f.last_attempt_at
                                   THEN excluded.last_status ELSE f.last_status END,
                last_error_message = CASE WHEN f.last_attempt_at IS NULL OR excluded.last_attempt_at >= f.last_attempt_at
                                   THEN excluded.last_error_message ELSE f.last_error_message END,
                last_attempt_at = greatest(f.last_attempt_at, excluded.last_attempt_at),
                data_point_count = CASE WHEN excluded.last_success_at IS NOT NULL AND $8::bigint IS NOT NULL
                                   THEN $8::bigint ELSE f.data_point_count END,
                fresh_seconds = coalesce(excluded.fresh_seconds, f.fresh_seconds),
                stale_seconds = coalesce(excluded.stale_seconds, f.stale_seconds)""";

    private final Pool pool;
    private final EventCodec codec;

    BatchStore(Pool pool, EventCodec codec) {
        this.pool = pool;
        this.codec = codec;
    }

    /** Writes the batch; the item is the number of error rows actually inserted. */
    Uni<Integer> write(Batch batch) {
        return pool.withTransaction(conn -> insertErrors(conn, batch)
                .flatMap(inserted -> claimFiltered(conn, batch)
                        .call(claimed -> upsertCounts(conn, countsOf(batch, inserted, claimed)))
                        .replaceWith(inserted))
                .call(inserted -> upsertGroups(conn, batch, inserted))
                .call(() -> insertRejected(conn, batch.rejections))
                .call(() -> writeExecutions(conn, batch.executions))
                .map(Set::size));
    }

    private Uni<Set<String>> insertErrors(SqlConnection conn, Batch batch) {
        if (batch.errors.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = batch.errors.size();
        String[][] cols = new String[14][n];
        for (int i = 0; i < n; i++) {
            Batch.StoredError s = batch.errors.get(i);
            var e = s.event();
            var c = e.context();
            cols[0][i] = clean(e.errorId());
            cols[1][i] = clean(e.errorType());
            cols[2][i] = clean(e.errorMessage());
            cols[3][i] = clean(e.errorTraceback());
            cols[4][i] = e.severity().wireName();
            cols[5][i] = e.category().wireName();
            cols[6][i] = clean(c.component());
            cols[7][i] = clean(c.operation());
            cols[8][i] = clean(c.symbol());
            cols[9][i] = clean(c.timeframe());
            cols[10][i] = contextJson(c);
            cols[11][i] = s.fingerprint();
            cols[12][i] = e.timestamp().toString();
            cols[13][i] = s.raw().receivedAt().toString();
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
            counts.merge(countKey(s.event().severity().wireName(), s.event().category().wireName(), s.raw().receivedAt()), 1L, Long::sum);
        }
        return counts;
    }

    static Batch.CountKey countKey(String severity, String category, Instant receivedAt) {
        return new Batch.CountKey(receivedAt.truncatedTo(ChronoUnit.MINUTES), severity, category);
    }

    /** The batch may hold the same error_id twice; only its first occurrence was inserted. */
    private static List<Batch.StoredError> firstOfEachInserted(Batch batch, Set<String> inserted) {
        Map<String, Batch.StoredError> first = new LinkedHashMap<>();
        for (Batch.StoredError s : batch.errors) {
            String id = clean(s.event().errorId());
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
        return conn.preparedQuery(UPSERT_COUNTS).execute(arrays(cols)).replaceWithVoid();
    }

    private record GroupDelta(Batch.StoredError first, Batch.StoredError last, long count) {
    }

    private Uni<Void> upsertGroups(SqlConnection conn, Batch batch, Set<String> inserted) {
        Map<String, GroupDelta> groups = new LinkedHashMap<>();
        for (Batch.StoredError s : firstOfEachInserted(batch, inserted)) {
            groups.merge(s.fingerprint(), new GroupDelta(s, s, 1),
                    (a, b) -> new GroupDelta(a.first(), b.last(), a.count() + b.count()));
        }
        if (groups.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[][] cols = new String[11][groups.size()];
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
            cols[10][i] = clean(last.errorId());
            i++;
        }
        return conn.preparedQuery(UPSERT_GROUPS).execute(arrays(cols)).replaceWithVoid();
    }

    private Uni<Void> insertRejected(SqlConnection conn, List<Batch.Rejection> rejections) {
        if (rejections.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[][] cols = new String[4][rejections.size()];
        for (int i = 0; i < rejections.size(); i++) {
            var r = rejections.get(i);
            cols[0][i] = clean(r.channel());
            cols[1][i] = clean(r.reason());
            cols[2][i] = truncatePayload(r.payload());
            cols[3][i] = r.receivedAt().toString();
        }
        return conn.preparedQuery(INSERT_REJECTED).execute(arrays(cols)).replaceWithVoid();
    }

    /** Executions are few and order matters (started before succeeded): one statement each, in arrival order. */
    private Uni<Void> writeExecutions(SqlConnection conn, List<Batch.Execution> executions) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Batch.Execution x : executions) {
            chain = chain.call(() -> upsertExecution(conn, x)).call(() -> upsertFreshness(conn, x.event()));
        }
        return chain;
    }

    private Uni<Void> upsertExecution(SqlConnection conn, Batch.Execution x) {
        ExecutionEvent e = x.event();
        boolean run = e.isRunLevel();
        Instant startedAt = e.startedAt() != null ? e.startedAt()
                : e.status() == ExecutionStatus.RUNNING ? e.timestamp() : null;
        Instant completedAt = e.completedAt() != null ? e.completedAt()
                : e.status().finished() ? e.timestamp() : null;
        List<Object> values = Arrays.asList(
                run ? "run" : "job",
                clean(run ? e.batchRunId() : e.executionId()),
                clean(run ? e.batchRunId() : e.executionId()),
                clean(e.batchRunId()),
                clean(e.job()),
                clean(e.symbol()),
                clean(e.timeframe()),
                e.status().wireName(),
                odt(startedAt),
                odt(completedAt),
                e.durationSeconds(),
                e.recordsProcessed(),
                e.attempt(),
                clean(e.errorMessage()),
                e.totalJobs(),
                e.completedJobs(),
                e.failedJobs(),
                odt(e.timestamp()));
        return conn.preparedQuery(UPSERT_EXECUTION).execute(Tuple.tuple(values)).replaceWithVoid();
    }

    private Uni<Void> upsertFreshness(SqlConnection conn, ExecutionEvent e) {
        if (e.isRunLevel()) {
            return Uni.createFrom().voidItem();
        }
        Instant at = e.completedAt() != null && e.status().finished() ? e.completedAt() : e.timestamp();
        boolean success = e.status() == ExecutionStatus.COMPLETED;
        List<Object> values = Arrays.asList(
                clean(e.job()),
                e.symbol() == null ? "" : clean(e.symbol()),
                e.timeframe() == null ? "" : clean(e.timeframe()),
                success ? odt(at) : null,
                odt(at),
                e.status().wireName(),
                e.status() == ExecutionStatus.FAILED ? clean(e.errorMessage()) : null,
                success ? e.recordsProcessed() : null,
                e.freshSeconds(),
                e.staleSeconds());
        return conn.preparedQuery(UPSERT_FRESHNESS).execute(Tuple.tuple(values)).replaceWithVoid();
    }

    private static Tuple arrays(String[][] cols) {
        Tuple t = Tuple.tuple();
        for (String[] col : cols) {
            t.addArrayOfString(col);
        }
        return t;
    }

    private static OffsetDateTime odt(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    /** PostgreSQL text cannot hold NUL characters. */
    static String clean(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
    }

    /**
     * The context as jsonb input. jsonb refuses an escaped NUL, and the JSON text cannot be patched (a literal
     * backslash before "u0000" looks alike), so when the text shows one the context is cleaned and encoded again;
     * the common case costs one encode and one scan.
     */
    String contextJson(ErrorContext c) {
        String json = codec.encode(c);
        return json.contains("\\u0000") ? codec.encode(cleanContext(c)) : json;
    }

    /** The context with NUL removed from every string, metadata included. */
    static ErrorContext cleanContext(ErrorContext c) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) cleanValue(c.metadata());
        return new ErrorContext(clean(c.component()), clean(c.operation()), clean(c.symbol()), clean(c.timeframe()),
                metadata, c.timestamp());
    }

    private static Object cleanValue(Object value) {
        if (value instanceof String s) {
            return clean(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(clean(String.valueOf(k)), cleanValue(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(BatchStore::cleanValue).toList();
        }
        return value;
    }

    static String truncatePayload(String payload) {
        String p = clean(payload == null ? "" : payload);
        if ((long) p.length() * 3 <= MAX_REJECTED_PAYLOAD_BYTES) {
            return p;
        }
        byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REJECTED_PAYLOAD_BYTES) {
            return p;
        }
        int end = MAX_REJECTED_PAYLOAD_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // do not cut a multi-byte character in half
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    static String describe(Batch batch) {
        return batch.errors.stream().map(s -> s.event().errorId()).limit(3).collect(Collectors.joining(", "));
    }
}
