package dev.monitoring.monitor.ingest.store;

import dev.monitoring.monitor.ingest.IngestConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.monitoring.monitor.ingest.store.SqlParams.arrays;
import static dev.monitoring.monitor.ingest.store.StoredText.clean;
import static dev.monitoring.monitor.ingest.store.StoredText.truncatePayload;

/**
 * Writes a {@link Batch} in one transaction with a handful of set-based statements: the error rows
 * ({@link ErrorRows}), the rejected events, the executions and freshness ({@link ExecutionRows}). Either all of a
 * batch is stored or none of it, so the stream entries acknowledged after the commit are exactly those stored.
 */
@ApplicationScoped
public class BatchStore {
    private static final String INSERT_REJECTED = """
            INSERT INTO monitor.rejected_events (channel, reason, payload, received_at)
            SELECT u.channel, u.reason, u.payload, u.received_at::timestamptz
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(channel, reason, payload, received_at)""";

    private final Pool pool;
    private final ErrorRows errors;
    private final ExecutionRows executions;

    /** The transaction's own bound, so PostgreSQL ends a statement the writer would otherwise give up waiting for. */
    private final String statementTimeout;

    BatchStore(Pool pool, ErrorRows errors, ExecutionRows executions, IngestConfig config) {
        this.statementTimeout = "SET LOCAL statement_timeout = " + config.statementTimeout().toMillis();
        this.pool = pool;
        this.errors = errors;
        this.executions = executions;
    }

    /** Writes the batch; the item is the number of error rows actually inserted. */
    public Uni<Integer> write(Batch batch) {
        return pool.withTransaction(conn -> conn.query(statementTimeout).execute()
                .flatMap(set -> errors.write(conn, batch))
                .call(() -> insertRejected(conn, batch.rejections))
                .call(() -> executions.write(conn, batch.executions))
                .map(Set::size));
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

    public static String describe(Batch batch) {
        return batch.errors.stream().map(s -> s.event().errorId()).limit(3).collect(Collectors.joining(", "));
    }
}
