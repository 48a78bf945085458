package dev.monitoring.monitor.ingest.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentErrorIdsTest {

    @Test
    void boundedInCountAndInCharactersOldestFirst() {
        RecentErrorIds ids = new RecentErrorIds(3, 10_000);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            ids.remember(id);
        }
        assertThat(ids.contains("a")).isFalse();
        assertThat(ids.contains("d")).isTrue();

        // 64 KiB ids, as a hostile producer sends them: the character bound holds, not the count
        RecentErrorIds big = new RecentErrorIds(100_000, 200_000);
        for (int i = 0; i < 100; i++) {
            big.remember(i + "x".repeat(64 * 1024));
        }
        assertThat(big.chars()).isLessThanOrEqualTo(200_000);
        assertThat(big.size()).isEqualTo(3);
        assertThat(big.contains(99 + "x".repeat(64 * 1024))).isTrue();

        // an id longer than the whole bound is not remembered at all (the database's ON CONFLICT still holds)
        RecentErrorIds small = new RecentErrorIds(10, 100);
        small.remember("y".repeat(101));
        assertThat(small.size()).isZero();
    }
}
