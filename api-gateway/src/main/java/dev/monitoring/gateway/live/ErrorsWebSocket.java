package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;

import java.time.Instant;

/**
 * {@code /ws/errors}: live errors, alerts and execution events for viewers. The handshake is
 * authenticated like the REST API (session cookie or Basic). All handlers are non-blocking.
 */
@WebSocket(path = "/ws/errors")
@RolesAllowed("viewer")
public class ErrorsWebSocket {
    private final LiveClients clients;
    private final ErrorHealthCache health;
    private final ObjectMapper mapper;

    public ErrorsWebSocket(LiveClients clients, ErrorHealthCache health, ObjectMapper mapper) {
        this.clients = clients;
        this.health = health;
        this.mapper = mapper;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        ObjectNode hello = mapper.createObjectNode();
        hello.put("type", "hello");
        hello.put("server_time", Instant.now().toString());
        hello.set("health", health.current());
        hello.set("filter", ClientFilter.ALL.toJson());
        clients.open(connection.id(), connection::sendText, hello.toString());
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> onMessage(String message, WebSocketConnection connection) {
        ClientSession session = clients.get(connection.id());
        if (session != null) {
            session.reply(applyFilter(message, session));
        }
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        clients.close(connection.id());
        return Uni.createFrom().voidItem();
    }

    private String applyFilter(String message, ClientSession session) {
        JsonNode request;
        try {
            request = mapper.readTree(message);
        } catch (Exception e) {
            return refusal("not valid JSON: expected {\"filter\":{...}}");
        }
        if (request == null || !request.isObject() || !request.has("filter")) {
            return refusal("expected {\"filter\":{\"min_severity\":...,\"categories\":[...],\"symbol\":...}}");
        }
        try {
            ClientFilter filter = ClientFilter.parse(request.get("filter"));
            session.filter(filter);
            ObjectNode ok = mapper.createObjectNode();
            ok.put("type", "filter_ok");
            ok.set("filter", filter.toJson());
            return ok.toString();
        } catch (ClientFilter.InvalidFilterException e) {
            return refusal(e.getMessage());
        }
    }

    private String refusal(String reason) {
        ObjectNode error = mapper.createObjectNode();
        error.put("type", "error");
        error.put("reason", reason);
        return error.toString();
    }
}
