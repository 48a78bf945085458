package dev.monitoring.gateway.live;

import dev.monitoring.model.LogText;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
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
 * is not one (HTTP/2 has no WebSocket here) keeps a flush per write.
 */
@ApplicationScoped
public class WebSocketFlushes {
    /** After the cross-site check (5,000) and before authentication and the WebSocket route. */
    static final int PRIORITY = 4_900;
    static final String HANDLER_NAME = "live-flush-consolidation";
    /** Vert.x's HTTP/1.x handler, last in the pipeline: outbound writes start there. */
    private static final String VERTX_HANDLER = "handler";
    private volatile boolean warned;

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.path().equals(ErrorsWebSocket.PATH) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && request.connection() instanceof ConnectionBase connection) {
            ChannelPipeline pipeline = connection.channel().pipeline();
            try {
                if (pipeline.get(HANDLER_NAME) == null && pipeline.get(VERTX_HANDLER) != null) {
                    pipeline.addBefore(VERTX_HANDLER, HANDLER_NAME, new FlushConsolidationHandler(
                            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                }
            } catch (RuntimeException e) {
                // a pipeline Vert.x changed under us: the client is still served, a flush per write
                if (!warned) {
                    warned = true;
                    Log.warnf("live connections keep a flush per write: %s", LogText.safe(e.toString()));
                }
            }
        }
        context.next();
    }
}
