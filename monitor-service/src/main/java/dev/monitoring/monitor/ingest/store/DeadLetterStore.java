package dev.monitoring.monitor.ingest.store;

import dev.monitoring.model.api.DeadLetter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/** Writes stream entries that kept failing to {@code monitor.dead_letters}; one row per entry however often it is moved. */
@ApplicationScoped
public class DeadLetterStore {
    private static final String INSERT = """
            INSERT INTO monitor.dead_letters (stream, entry_id, payload, deliveries, reason)
            SELECT u.stream, u.entry_id, u.payload, u.deliveries::bigint, u.reason
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(stream, entry_id, payload, deliveries, reason)
            ON CONFLICT (stream, entry_id) DO NOTHING""";

    public record DeadLetter(String stream, String entryId, String payload, long deliveries, String reason) {
    }

    private final Pool pool;

    DeadLetterStore(Pool pool) {
        this.pool = pool;
    }

    /** Blocking: called from the stream consumer's thread, which acknowledges the entries only after this. */
    public void store(List<DeadLetter> letters) {
        int n = letters.size();
        String[][] cols = new String[5][n];
        for (int i = 0; i < n; i++) {
            DeadLetter d = letters.get(i);
            cols[0][i] = d.stream();
            cols[1][i] = d.entryId();
            cols[2][i] = d.payload() == null ? null : StoredText.truncatePayload(d.payload());
            cols[3][i] = Long.toString(d.deliveries());
            cols[4][i] = d.reason();
        }
        Tuple t = Tuple.tuple();
        for (String[] col : cols) {
            t.addArrayOfString(col);
        }
        pool.preparedQuery(INSERT).execute(t).await().atMost(Duration.ofSeconds(30));
    }
}
