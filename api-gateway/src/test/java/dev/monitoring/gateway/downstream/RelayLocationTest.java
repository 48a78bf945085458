package dev.monitoring.gateway.downstream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A relayed Location names the gateway's path, never the internal address of the service behind it. */
class RelayLocationTest {

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:8081/api/silences/42, /api/silences/42",
            "http://monitor:8081/api/runs?x=1&y=%20, /api/runs?x=1&y=%20",
            "http://monitor:8081, /",
            "/api/runs/current, /api/runs/current",
            "api/runs, api/runs",
            "not a uri ^, not a uri ^"})
    void keepsOnlyThePath(String owner, String relayed) {
        assertThat(Relay.publicLocation(owner)).isEqualTo(relayed);
    }
}
