package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.security.SessionCookies;
import dev.monitoring.gateway.security.SessionRevocations;
import dev.monitoring.model.LogText;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code /ws/errors}: live errors, alerts and execution events for viewers. The handshake is
 * authenticated like the REST API (session cookie or Basic); a cookie from another site's page is refused before
 * (see {@code CrossSiteFilter}), and the socket of a session that logs out is closed with 1008 (see
 * {@link SessionRevocations}). All handlers are non-blocking.
 */
@WebSocket(path = ErrorsWebSocket.PATH)
@RolesAllowed("viewer")
public class ErrorsWebSocket {
    static final String PATH = "/ws/errors";
    /** RFC 6455 close code: a message too big to process. */
    private static final int MESSAGE_TOO_BIG = 1009;
    /** RFC 6455 close code: policy violation, here the session was logged out. */
    private static final int LOGGED_OUT = 1008;
    /**
     * A client sending messages far faster than it may: a code of the application range (RFC 6455 4000-4999), as
     * 1008 already tells the dashboard that its session was logged out.
     */
    static final int TOO_MANY_MESSAGES = 4008;
    private final LiveClients clients;
    private final ErrorHealthCache health;
    private final DownstreamAlerts downstream;
    private final ObjectMapper mapper;
    private final long maxMessageSize;
    private final int transportMaxMessageSize;
    private final SessionCookies cookies;
    private final SessionRevocations revocations;
    private final Vertx vertx;

    public ErrorsWebSocket(LiveClients clients, ErrorHealthCache health, DownstreamAlerts downstream, ObjectMapper mapper,
            GatewayConfig config,
            @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size", defaultValue = "65536") int transportMax,
            SessionCookies cookies, SessionRevocations revocations, Vertx vertx) {
        this.vertx = vertx;
        this.cookies = cookies;
        this.revocations = revocations;
        this.clients = clients;
        this.health = health;
        this.downstream = downstream;
        this.mapper = mapper;
        this.maxMessageSize = config.live().maxMessageSize().asLongValue();
        this.transportMaxMessageSize = transportMax;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        String cookieHeader = connection.handshakeRequest().header("Cookie");
        String sessionCookie = cookieHeader == null ? null : cookies.fromCookieHeader(List.of(cookieHeader));
        if (sessionCookie != null) {
            cookies.read(sessionCookie).ifPresent(session -> revocations.opened(connection.id(), session,
                    () -> connection.close(new CloseReason(LOGGED_OUT, "logged out")).subscribe().with(ok -> { }, failure -> { })));
        }
        ObjectNode hello = mapper.createObjectNode();
        hello.put("type", "hello");
        hello.put("server_time", Instant.now().toString());
        hello.set("health", health.current());
        hello.set("filter", ClientFilter.ALL.toJson());
        // A downstream already down for a while is told right after the hello: the broadcast was before this client.
        ClientSession session = clients.open(connection.id(), connection::sendText, hello.toString(), downstream::current);
        // broadcasts are drained on this connection's event loop, where @OnOpen runs
        io.vertx.core.Context loop = io.vertx.core.Vertx.currentContext();
        if (loop != null) {
            session.drainOn(task -> loop.runOnContext(ignored -> task.run()));
        }
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> onMessage(String message, WebSocketConnection connection) {
        ClientSession session = clients.get(connection.id());
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        long size = utf8Length(message);
        if (size > maxMessageSize) {
            // Refused before parsing: a filter is a few hundred bytes, and a client's own memory is bounded.
            clients.metrics().refused().increment();
            session.reply(refusal("message too large: " + size + " bytes (max " + maxMessageSize + ")"));
            return Uni.createFrom().voidItem();
        }
        InboundLimit limit = session.inbound();
        switch (limit.offer(message, System.nanoTime())) {
            case HANDLE -> handle(message, session);
            case HELD -> releaseLater(connection.id(), limit);
            case REPLACED -> clients.metrics().messagesReplaced().increment();
            case CUT_OFF -> cutOff(connection, limit);
            case IGNORED -> { }
        }
        return Uni.createFrom().voidItem();
    }

    /** Closes the connection of a client flooding its event loop, with the reason. */
    private void cutOff(WebSocketConnection connection, InboundLimit limit) {
        clients.metrics().cutOff().increment();
        String reason = "too many messages: more than " + limit.cutOffAfter() + " in a second";
        if ((long) clients.metrics().cutOff().count() % 100 == 1) {
            Log.warnf("closing WebSocket connection %s: %s (%.0f cut off so far)", connection.id(), reason,
                    clients.metrics().cutOff().count());
        }
        connection.close(new CloseReason(TOO_MANY_MESSAGES, reason)).subscribe().with(ok -> { }, failure -> { });
    }

    /** Handles the message a client sent too fast once its rate allows, on this connection's event loop (the timer's). */
    private void releaseLater(String connectionId, InboundLimit limit) {
        long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(limit.nanosUntilNext(System.nanoTime())) + 1);
        vertx.setTimer(delayMillis, timer -> {
            ClientSession session = clients.get(connectionId);
            if (session == null) {
                return; // closed meanwhile
            }
            String message = limit.release(System.nanoTime());
            if (message != null) {
                handle(message, session);
            } else if (limit.holding()) {
                releaseLater(connectionId, limit);
            }
        });
    }

    private void handle(String message, ClientSession session) {
        try {
            ClientFilter filter = parseFilter(message);
            session.filter(filter);
            ObjectNode ok = mapper.createObjectNode();
            ok.put("type", "filter_ok");
            ok.set("filter", filter.toJson());
            session.replyFilterOk(ok.toString());
        } catch (ClientFilter.InvalidFilterException e) {
            session.reply(refusal(e.getMessage()));
        }
    }

    /**
     * Vert.x stops gathering a message at the transport's limit and reports it as an {@code IllegalStateException}
     * (the only way it tells): the client is cut off with 1009 and a reason instead of the default 1011. (A single
     * frame over the limit is closed with 1009 by Netty before any of it reaches this class.)
     */
    @OnError
    public Uni<Void> onError(IllegalStateException failure, WebSocketConnection connection) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("overflow max message size")) {
            clients.metrics().refused().increment();
            return connection.close(new CloseReason(MESSAGE_TOO_BIG,
                    "message too large (max " + transportMaxMessageSize + " bytes)"));
        }
        Log.errorf("closing WebSocket connection %s after an unexpected failure: %s", connection.id(),
                LogText.safe(failure.toString()));
        return connection.close(CloseReason.INTERNAL_SERVER_ERROR);
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        revocations.closed(connection.id());
        clients.close(connection.id());
        return Uni.createFrom().voidItem();
    }

    private ClientFilter parseFilter(String message) throws ClientFilter.InvalidFilterException {
        JsonNode request;
        try {
            request = mapper.readTree(message);
        } catch (Exception e) {
            throw new ClientFilter.InvalidFilterException("not valid JSON: expected {\"filter\":{...}}");
        }
        if (request == null || !request.isObject() || !request.has("filter")) {
            throw new ClientFilter.InvalidFilterException(
                    "expected {\"filter\":{\"min_severity\":...,\"categories\":[...],\"symbol\":...}}");
        }
        return ClientFilter.parse(request.get("filter"));
    }

    private String refusal(String reason) {
        ObjectNode error = mapper.createObjectNode();
        error.put("type", "error");
        error.put("reason", reason);
        return error.toString();
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
