package dev.monitoring.gateway.live;

import dev.monitoring.model.api.Alert;
import dev.monitoring.model.api.DeliveryRecord;
import dev.monitoring.model.api.ErrorGroup;
import dev.monitoring.model.api.SilenceView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.InvalidEventException;
import dev.monitoring.model.LogText;
import dev.monitoring.model.Severity;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a message of the errors, alerts, executions or notifications channel into the frames of the contract
 * and broadcasts them. Runs on the Redis I/O thread: decoding and rendering only, no waiting.
 *
 * <p>The routing of each message is a worker of its own for liveness: it owes progress from the moment a message
 * arrives until it is handed to every client, so a broadcast stuck inside (a lock that is never released) shows as
 * stalled; between messages it is idle, however long the channels stay quiet.
 */
@ApplicationScoped
public class LiveEventRouter {
    private final EventCodec codec = new EventCodec();
    private final ChannelsConfig channels;
    private final LiveClients clients;
    private final Heartbeat routing;
    private final IgnoredGroups ignoredGroups;
    private final Counter failures;
    private final AtomicLong invalid = new AtomicLong();
    private volatile Context deliveryContext;

    public LiveEventRouter(ChannelsConfig channels, LiveClients clients, Heartbeats heartbeats, MeterRegistry registry,
                           IgnoredGroups ignoredGroups) {
        this.ignoredGroups = ignoredGroups;
        this.channels = channels;
        this.clients = clients;
        this.routing = heartbeats.register("live-fanout");
        this.routing.idle();
        this.failures = Counter.builder("gateway.live.route.failures")
                .description("Channel messages that could not be routed to the WebSocket clients").register(registry);
    }

    public void route(String channel, String payload) {
        routing.beat();
        Context context = Vertx.currentContext();
        if (context != deliveryContext) {
            deliveryContext = context;
        }
        try {
            if (channel.equals(channels.errors())) {
                routeError(codec.decodeError(payload));
            } else if (channel.equals(channels.executions())) {
                routeExecution(codec.decodeExecution(payload));
            } else if (channel.equals(channels.alerts())) {
                routeAlert(payload);
            } else if (channel.equals(channels.notifications())) {
                routeNotification(payload);
            }
        } catch (InvalidEventException e) {
            // The monitor logs, counts and keeps rejected events; the gateway only skips them.
            if (invalid.incrementAndGet() % 1000 == 1) {
                Log.debugf("skipped an invalid event on %s: %s", channel, LogText.safe(e.getMessage()));
            }
        } catch (RuntimeException e) {
            // One message that breaks the routing must not end the subscription (and lose the messages behind it).
            failures.increment();
            if ((long) failures.count() % 1000 == 1) {
                Log.warnf("could not route a message on %s (%d so far): %s", channel, (long) failures.count(),
                        LogText.safe(e.toString()));
            }
        } finally {
            routing.idle();
        }
    }

    /** The Vert.x context the last message was routed on (the subscriber connection's event loop), null before any. */
    public Context deliveryContext() {
        return deliveryContext;
    }

    private void routeError(ErrorEvent event) {
        if (!event.severity().atLeast(ClientFilter.FLOOR)) {
            return;
        }
        ObjectNode error = codec.mapper().createObjectNode();
        error.put("id", event.errorId());
        error.put("type", event.errorType());
        error.put("message", event.errorMessage());
        error.put("severity", event.severity().wireName());
        error.put("category", event.category().wireName());
        error.put("symbol", event.context().symbol());
        error.put("component", event.context().component());
        error.put("timestamp", event.timestamp().toString());
        if (ignoredGroups.isIgnored(event)) {
            error.put("ignored", true); // stored and counted, alerts nobody: the dashboard shows it muted
        }
        String body = "\"error\":" + error;
        String identity = String.join("\u0000", event.severity().wireName(), event.category().wireName(),
                String.valueOf(event.errorType()), String.valueOf(event.context().component()),
                String.valueOf(event.context().symbol()), event.errorMessage());
        String symbol = event.context().symbol();
        clients.broadcast(new LiveFrame("error", "error\u0000" + identity, event.severity(), event.category(), symbol, body));
        if (event.severity() == Severity.CRITICAL) {
            clients.broadcast(new LiveFrame("critical_error", "critical_error\u0000" + identity, event.severity(),
                    event.category(), symbol, body));
        }
    }

    private void routeExecution(ExecutionEvent event) {
        String type = event.isRunLevel() ? "run_progress" : "execution";
        clients.broadcast(new LiveFrame(type, null, null, null, null, "\"event\":" + codec.encode(event)));
    }

    private void routeAlert(String payload) throws InvalidEventException {
        Alert alert = typed(parseObject(payload, "alert"), Alert.class, "alert");
        clients.broadcast(new LiveFrame("alert", null, null, null, null, "\"alert\":" + codec.encode(alert)));
    }

    /**
     * A message of the notifications channel becomes a frame of the same shape: {@code {"type":"silence","action":...,
     * "silence":{...}}}, {@code {"type":"delivery","notification":{...}}} or {@code {"type":"group","action":...,
     * "group":{...}}}, read as the contract's records. Anything
     * else is skipped like an invalid event.
     */
    private void routeNotification(String payload) throws InvalidEventException {
        JsonNode message = parseObject(payload, "notification message");
        String type = message.path("type").asText("");
        switch (type) {
            case "silence" -> {
                if (!message.path("action").isTextual() || !message.path("silence").isObject()) {
                    throw new InvalidEventException("silence message without a textual 'action' and a 'silence' object");
                }
                SilenceView.Message m = typed(message, SilenceView.Message.class, "silence message");
                clients.broadcast(new LiveFrame("silence", null, null, null, null,
                        "\"action\":" + codec.encode(m.action()) + ",\"silence\":" + codec.encode(m.silence())));
            }
            case "delivery" -> {
                if (!message.path("notification").isObject()) {
                    throw new InvalidEventException("delivery message without a 'notification' object");
                }
                DeliveryRecord.Message m = typed(message, DeliveryRecord.Message.class, "delivery message");
                clients.broadcast(new LiveFrame("delivery", null, null, null, null,
                        "\"notification\":" + codec.encode(m.notification())));
            }
            case "group" -> {
                if (message.path("action").asText("").equals("bulk")) {
                    ignoredGroups.changed();
                    // a bulk action too large to tell group by group: dashboards reload their list
                    clients.broadcast(new LiveFrame("group", null, null, null, null,
                            "\"action\":\"bulk\",\"count\":" + message.path("count").asLong()));
                    return;
                }
                if (!message.path("action").isTextual() || !message.path("group").isObject()) {
                    throw new InvalidEventException("group message without a textual 'action' and a 'group' object");
                }
                ErrorGroup.Message m = typed(message, ErrorGroup.Message.class, "group message");
                ignoredGroups.changed();
                clients.broadcast(new LiveFrame("group", null, null, null, null,
                        "\"action\":" + codec.encode(m.action()) + ",\"group\":" + codec.encode(m.group())));
            }
            case "check" -> {
                // only the name and what happened: the dashboard asks for the list (whose ping keys only admins see)
                String action = message.path("action").asText("");
                String check = message.path("check").asText("");
                if (!CHECK_ACTIONS.contains(action) || check.isEmpty() || check.length() > 200) {
                    throw new InvalidEventException("check message without a known 'action' and a 'check' name");
                }
                clients.broadcast(new LiveFrame("check", null, null, null, null,
                        "\"action\":" + codec.encode(action) + ",\"check\":" + codec.encode(check)));
            }
            default -> throw new InvalidEventException("unknown notification message type '" + type + "'");
        }
    }

    private static final java.util.Set<String> CHECK_ACTIONS = java.util.Set.of("start", "success", "fail", "created", "updated",
            "deleted", "paused", "resumed");

    private <T> T typed(JsonNode node, Class<T> type, String what) throws InvalidEventException {
        try {
            return codec.mapper().treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException(what + " does not have the contract's shape");
        }
    }

    private JsonNode parseObject(String payload, String what) throws InvalidEventException {
        JsonNode node;
        try {
            node = codec.mapper().readTree(payload);
        } catch (Exception e) {
            throw new InvalidEventException(what + " is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(what + " is not a JSON object");
        }
        return node;
    }
}
