package dev.monitoring.runner;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every connection of the service's pool has PostgreSQL's own bound on a statement: a statement the service stopped
 * waiting for (a table locked by a long transaction) is ended there, instead of holding its connection while each
 * later attempt takes one more.
 */
@QuarkusTest
class PostgresStatementBoundTest {
    @Inject
    Pool pool;

    @Test
    void thePoolsConnectionsEndAStatementAfterAMinute() {
        String bound = pool.query("SHOW statement_timeout").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
        assertThat(bound).isEqualTo("1min");
    }
}
