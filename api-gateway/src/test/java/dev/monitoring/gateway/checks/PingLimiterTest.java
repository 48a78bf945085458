package dev.monitoring.gateway.checks;

import dev.monitoring.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-key token bucket of the ping routes, and its bound when someone floods it with random keys. */
class PingLimiterTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PingLimiter limiter = new PingLimiter(config(5, 20), registry);

    @Test
    void aKeyHasItsBurstThenItsRateAndOtherKeysAreNotTouched() {
        long allowed = IntStream.range(0, 1000).filter(i -> limiter.allow("busy")).count();
        assertThat(allowed).as("the burst, and at most a token refilled meanwhile").isBetween(20L, 21L);
        assertThat(limiter.allow("quiet")).isTrue();
        assertThat(registry.get("gateway.pings.rate.limited").counter().count()).isEqualTo(1000 - allowed);
    }

    @Test
    void aFloodOfRandomKeysCannotGrowTheMapBeyondItsBoundNorLockOutAKnownKey() {
        assertThat(limiter.allow("known")).isTrue();
        for (int i = 0; i < 3 * PingLimiter.MAX_KEYS; i++) {
            limiter.allow("random-" + i);
        }
        assertThat(limiter.keys()).isLessThanOrEqualTo(2 * PingLimiter.MAX_KEYS + 1);
        assertThat(limiter.allow("known")).as("a key with a bucket keeps it").isTrue();
        assertThat(limiter.allow("new-while-flooded")).as("no bucket for a new key while over twice the bound").isFalse();
    }

    private static GatewayConfig config(double perSecond, int burst) {
        GatewayConfig.Pings pings = new GatewayConfig.Pings() {
            public double perSecond() { return perSecond; }
            public int burst() { return burst; }
            public Optional<String> publicUrl() { return Optional.empty(); }
        };
        return new GatewayConfig() {
            public Live live() { return null; }
            public Downstream downstream() { return null; }
            public Security security() { return null; }
            public Pings pings() { return pings; }
        };
    }
}
