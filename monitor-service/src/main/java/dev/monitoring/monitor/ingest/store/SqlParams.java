package dev.monitoring.monitor.ingest.store;

import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Parameters of the set-based statements: one text[] per column, timestamps at UTC. */
final class SqlParams {
    private SqlParams() {
    }

    static Tuple arrays(String[][] cols) {
        Tuple t = Tuple.tuple();
        for (String[] col : cols) {
            t.addArrayOfString(col);
        }
        return t;
    }

    static OffsetDateTime odt(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
