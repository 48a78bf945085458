package dev.monitoring.monitor.ingest.store;

import dev.monitoring.monitor.MonitorTables;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two monitors writing the same new execution at once (a plain PUBLISH reaches every replica): the second waits for
 * the first one's claim of the key, takes the day from it and updates that row. Neither fails, one row is stored.
 */
@QuarkusTest
class ExecutionClaimTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @BeforeEach
    void clean() {
        MonitorTables.truncateAll(pool);
    }

    @Test
    void aKeyClaimedByAnotherMonitorsOpenTransactionIsWaitedForAndUpdatedNotStoredTwice() throws Exception {
        String key = "race-" + UUID.randomUUID();
        SqlConnection first = pool.getConnection().await().atMost(WAIT);
        SqlConnection second = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction firstTx = first.begin().await().atMost(WAIT);
            first.preparedQuery(ExecutionRows.UPSERT_EXECUTION).execute(upsert(key, "running")).await().atMost(WAIT);

            Transaction secondTx = second.begin().await().atMost(WAIT);
            CompletableFuture<Integer> waiting = second.preparedQuery(ExecutionRows.UPSERT_EXECUTION)
                    .execute(upsert(key, "completed")).map(RowSet::rowCount).subscribeAsCompletionStage();
            await().atMost(WAIT).until(() -> MonitorTables.count(pool, """
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                    AND query LIKE '%monitor.execution_keys%'""") == 1);
            assertThat(waiting).as("the second writer waits for the first one's claim").isNotDone();

            firstTx.commit().await().atMost(WAIT);
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            secondTx.commit().await().atMost(WAIT);
        } finally {
            first.close().await().atMost(WAIT);
            second.close().await().atMost(WAIT);
        }

        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions WHERE execution_key = $1", key))
                .as("one row").isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions WHERE execution_key = $1 AND status = 'completed'", key))
                .as("the later event applied to it").isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.execution_keys WHERE execution_key = $1", key)).isEqualTo(1);
    }

    /** The writer's parameters for a job execution with only a status. */
    private static Tuple upsert(String key, String status) {
        return Tuple.tuple(Arrays.asList("job", key, key, null, "race-job", null, null, status, null, null, null, null,
                null, null, null, null, null, OffsetDateTime.now(ZoneOffset.UTC), null));
    }
}
