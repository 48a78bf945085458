package dev.monitoring.monitor.retention;

import dev.monitoring.monitor.MonitorTables;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class RetentionJobTest {
    @Inject
    RetentionJob job;
    @Inject
    Pool pool;

    @BeforeEach
    void cleanTables() {
        MonitorTables.truncateAll(pool);
    }

    @Test
    void deletesOnlyRowsOlderThanTheMaxAgeInSeveralBatches() {
        for (int i = 0; i < 5; i++) {
            insertError("old-" + i, 31);
        }
        insertError("recent", 29);
        MonitorTables.execute(pool, """
                INSERT INTO monitor.executions (kind, execution_key, status, updated_at) VALUES
                ('job', 'old-exec', 'completed', now() - interval '40 days'), ('job', 'new-exec', 'completed', now())""");

        var deleted = job.purge();

        assertThat(deleted).containsEntry("monitor.error_logs", 5L).containsEntry("monitor.executions", 1L);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs WHERE error_id = 'recent'")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.error_logs")).isEqualTo(1);
        assertThat(MonitorTables.count(pool, "SELECT count(*) FROM monitor.executions WHERE execution_key = 'new-exec'")).isEqualTo(1);
    }

    private void insertError(String id, int daysAgo) {
        MonitorTables.execute(pool, """
                INSERT INTO monitor.error_logs (error_id, error_message, severity, category, fingerprint, occurred_at, received_at)
                VALUES ($1, 'old', 'error', 'unknown', 'fp', now() - make_interval(days => $2), now() - make_interval(days => $2))""", id, daysAgo);
    }
}
