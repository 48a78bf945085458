package dev.monitoring.gateway.live;

import dev.monitoring.gateway.live.InboundLimit.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The client message rate on a clock of the test's own: a second's worth at once, then one held, then a cut-off. */
class InboundLimitTest {
    private static final long MS = 1_000_000L;

    @Test
    void aSecondsWorthIsHandledAtOnceThenTheNewestWaitsAndIsReleasedWhenTheRateAllows() {
        InboundLimit limit = new InboundLimit(20, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(limit.offer("m" + i, 0)).as("message %d", i).isEqualTo(Verdict.HANDLE);
        }
        assertThat(limit.offer("m20", 0)).isEqualTo(Verdict.HELD);
        assertThat(limit.offer("m21", 0)).isEqualTo(Verdict.REPLACED);
        assertThat(limit.nanosUntilNext(0)).isEqualTo(50 * MS);
        assertThat(limit.release(49 * MS)).as("before the rate allows").isNull();
        assertThat(limit.release(50 * MS)).isEqualTo("m21");
        assertThat(limit.holding()).isFalse();
        assertThat(limit.received()).isEqualTo(22);
        assertThat(limit.replaced()).isEqualTo(1);
    }

    @Test
    void aNewMessageNeverOvertakesTheHeldOne() {
        InboundLimit limit = new InboundLimit(1, 0);
        assertThat(limit.offer("first", 0)).isEqualTo(Verdict.HANDLE);
        assertThat(limit.offer("second", 0)).isEqualTo(Verdict.HELD);
        // a token is back, but "second" waits: "third" takes its place rather than going before it
        assertThat(limit.offer("third", 1_000 * MS)).isEqualTo(Verdict.REPLACED);
        assertThat(limit.release(1_000 * MS)).isEqualTo("third");
    }

    @Test
    void tenTimesTheRateWithinASecondIsCutOffAndWhatFollowsIgnored() {
        InboundLimit limit = new InboundLimit(20, 0);
        for (int i = 0; i < 200; i++) {
            assertThat(limit.offer("m" + i, i * MS)).isNotEqualTo(Verdict.CUT_OFF);
        }
        assertThat(limit.offer("m200", 200 * MS)).isEqualTo(Verdict.CUT_OFF);
        assertThat(limit.cutOff()).isTrue();
        assertThat(limit.holding()).as("nothing left to handle").isFalse();
        assertThat(limit.offer("m201", 5_000 * MS)).isEqualTo(Verdict.IGNORED);
    }

    @Test
    void tenTimesTheRateSpreadOverMoreThanASecondIsNotCutOff() {
        InboundLimit limit = new InboundLimit(20, 0);
        for (int i = 0; i < 400; i++) {
            assertThat(limit.offer("m" + i, i * 6 * MS)).as("message %d, at %d ms", i, i * 6).isNotEqualTo(Verdict.CUT_OFF);
        }
        assertThat(limit.cutOff()).isFalse();
    }
}
