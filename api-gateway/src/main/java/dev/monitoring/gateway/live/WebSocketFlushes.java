package dev.monitoring.gateway.live;

import dev.monitoring.model.LogText;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Batches a live connection's writes per turn of its event loop: the frames a drain hands to the socket leave in one
 * flush (one system call) instead of one each. Vert.x flushes every write made outside a read, and WebSockets Next has
 * no unflushed send, so Netty's {@link FlushConsolidationHandler} goes into the connection's pipeline at its
 * handshake, just before Vert.x's own handler: a flush outside a read is put off to the end of the loop's current
 * turn, and the flushes of that turn become one. Closing the connection flushes what is pending first.
 *
 * <p>{@link ConnectionBase} is Vert.x's own implementation class, the only way to reach the channel; a connection that
 * is not one, or whose pipeline is laid out otherwise (a Vert.x upgrade), keeps a flush per write: the counters
 * {@code gateway_ws_connections_batched_total} and {@code gateway_ws_connections_unbatched_total} tell which.
 */
@ApplicationScoped
public class WebSocketFlushes {
    /** After the cross-site check (5,000) and before authentication and the WebSocket route. */
    static final int PRIORITY = 4_900;
    static final String HANDLER_NAME = "live-flush-consolidation";
    /** Vert.x's HTTP/1.x handler, last in the pipeline: outbound writes start there. */
    private static final String VERTX_HANDLER = "handler";
    private volatile boolean warned;
    private final Counter batched;
    private final Counter unbatched;

    public WebSocketFlushes(MeterRegistry registry) {
        this.batched = Counter.builder("gateway.ws.connections.batched")
                .description("WebSocket handshakes whose connection got one flush per event-loop turn").register(registry);
        this.unbatched = Counter.builder("gateway.ws.connections.unbatched")
                .description("WebSocket handshakes whose connection keeps a flush per write (its pipeline could not be changed)")
                .register(registry);
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.path().equals(ErrorsWebSocket.PATH) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            boolean done = request.connection() instanceof ConnectionBase connection && batch(connection.channel().pipeline());
            (done ? batched : unbatched).increment();
        }
        context.next();
    }

    /** Whether the connection's flushes are now consolidated; false (and said once) when its pipeline will not have it. */
    private boolean batch(ChannelPipeline pipeline) {
        try {
            if (pipeline.get(HANDLER_NAME) == null) {
                pipeline.addBefore(VERTX_HANDLER, HANDLER_NAME, new FlushConsolidationHandler(
                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            }
            return true;
        } catch (RuntimeException e) {
            // a pipeline laid out otherwise (a Vert.x upgrade): the client is still served, a flush per write
            if (!warned) {
                warned = true;
                Log.warnf("live connections keep a flush per write: %s", LogText.safe(e.toString()));
            }
            return false;
        }
    }
}
