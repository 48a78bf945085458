package dev.monitoring.gateway.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Counters of the live WebSocket, on /q/metrics: what went out, what was folded, what was dropped. */
public record LiveMetrics(Counter sent, Counter folded, Counter dropped) {

    public static LiveMetrics of(MeterRegistry registry) {
        return new LiveMetrics(
                Counter.builder("gateway.ws.frames.sent").description("Frames written to WebSocket clients").register(registry),
                Counter.builder("gateway.ws.errors.folded").description("Errors folded into a waiting identical frame").register(registry),
                Counter.builder("gateway.ws.frames.dropped").description("Frames dropped from a slow client's full queue").register(registry));
    }

    /** Counters that go nowhere, for a session used on its own. */
    public static LiveMetrics unregistered() {
        return of(new SimpleMeterRegistry());
    }
}
