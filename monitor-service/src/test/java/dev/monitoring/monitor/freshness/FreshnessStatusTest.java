package dev.monitoring.monitor.freshness;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FreshnessStatusTest {

    @ParameterizedTest
    @CsvSource({
            "0, FRESH",
            "3599, FRESH",
            "3600, AGING",
            "86399, AGING",
            "86400, STALE",
            "999999, STALE",
            ", MISSING"})
    void statusAtTheBoundariesOfTheDefaultThresholds(Long secondsSinceSuccess, FreshnessStatus expected) {
        assertThat(FreshnessStatus.of(secondsSinceSuccess, 3600, 86400)).isEqualTo(expected);
    }
}
