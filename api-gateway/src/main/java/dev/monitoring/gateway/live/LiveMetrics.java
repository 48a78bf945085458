package dev.monitoring.gateway.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Counters of the live WebSocket, on /q/metrics: what went out, what was folded, what was dropped, and what clients
 * sent that was refused or replaced.
 */
public record LiveMetrics(Counter sent, Counter folded, Counter dropped, Counter repliesFolded, Counter refused,
                          Counter messagesReplaced, Counter cutOff) {

    public static LiveMetrics of(MeterRegistry registry) {
        return new LiveMetrics(
                Counter.builder("gateway.ws.frames.sent").description("Frames written to WebSocket clients").register(registry),
                Counter.builder("gateway.ws.errors.folded").description("Errors folded into a waiting identical frame").register(registry),
                Counter.builder("gateway.ws.frames.dropped").description("Frames dropped from a slow client's full queue").register(registry),
                Counter.builder("gateway.ws.replies.folded")
                        .description("filter_ok replies replaced by a newer one while waiting for a client that does not read")
                        .register(registry),
                Counter.builder("gateway.ws.messages.refused")
                        .description("Client messages refused for their size").register(registry),
                Counter.builder("gateway.ws.messages.replaced")
                        .description("Client messages replaced by a newer one before they were handled (sent faster than "
                                + "gateway.live.client-messages-per-second)").register(registry),
                Counter.builder("gateway.ws.clients.cut.off")
                        .description("Clients closed for sending more than " + InboundLimit.CUT_OFF_FACTOR
                                + " times their message rate within a second")
                        .register(registry));
    }

    /** Counters that go nowhere, for a session used on its own. */
    public static LiveMetrics unregistered() {
        return of(new SimpleMeterRegistry());
    }
}
