package dev.monitoring.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On a clock of the test's own: nothing sleeps. */
class TokenBucketTest {
    private static final long MS = 1_000_000L;

    @Test
    void aFullBucketGivesItsCapacityAtOnceThenOneTokenPerInterval() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.take(0)).isTrue();
        assertThat(bucket.take(0)).isTrue();
        assertThat(bucket.take(0)).isTrue();
        assertThat(bucket.take(0)).as("capacity spent").isFalse();
        assertThat(bucket.nanosUntilToken(0)).isEqualTo(100 * MS);
        assertThat(bucket.take(99 * MS)).isFalse();
        assertThat(bucket.nanosUntilToken(99 * MS)).as("rounded up, never early").isBetween(MS, MS + 1);
        assertThat(bucket.take(100 * MS)).isTrue();
        assertThat(bucket.take(100 * MS)).isFalse();
    }

    @Test
    void itSavesUpToItsCapacityAndNoMore() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        for (int i = 0; i < 3; i++) {
            bucket.take(0);
        }
        assertThat(bucket.full(200 * MS)).isFalse();
        assertThat(bucket.full(300 * MS)).isTrue();
        long later = 60_000 * MS; // a minute idle saves 3, not 600
        int taken = 0;
        while (bucket.take(later)) {
            taken++;
        }
        assertThat(taken).isEqualTo(3);
    }

    @Test
    void anEarlierClockReadingNeitherGivesNorTakesTokens() {
        TokenBucket bucket = new TokenBucket(10, 1, 0);
        assertThat(bucket.take(100 * MS)).isTrue();
        assertThat(bucket.take(50 * MS)).as("read before the last take").isFalse();
        assertThat(bucket.nanosUntilToken(50 * MS)).isBetween(100 * MS, 100 * MS + 1);
        assertThat(bucket.take(200 * MS)).as("a whole interval after the last take").isTrue();
    }

    @Test
    void aBucketThatCannotHoldATokenIsRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 3, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(5, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5.0/s and 0.0");
    }
}
