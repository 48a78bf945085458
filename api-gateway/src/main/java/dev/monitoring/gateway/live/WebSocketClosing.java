package dev.monitoring.gateway.live;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How long the server waits for a client to answer its close frame before it closes the TCP connection: 1 s instead of
 * Vert.x's 10 s. Until then the connection is still read, and a client cut off for flooding (see {@link InboundLimit})
 * that does not read its close frame went on flooding the event loop for those seconds (50,000 more messages).
 */
@ApplicationScoped
public class WebSocketClosing implements HttpServerOptionsCustomizer {
    static final int CLOSING_TIMEOUT_SECONDS = 1;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setWebSocketClosingTimeout(CLOSING_TIMEOUT_SECONDS);
    }
}
