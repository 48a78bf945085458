package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import dev.monitoring.model.InvalidEventException;
import dev.monitoring.model.Severity;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a message of the errors, alerts or executions channel into the frames of the contract
 * and broadcasts them. Runs on the Redis I/O thread: decoding and rendering only, no waiting.
 */
@ApplicationScoped
public class LiveEventRouter {
    private final EventCodec codec = new EventCodec();
    private final ChannelsConfig channels;
    private final LiveClients clients;
    private final AtomicLong invalid = new AtomicLong();

    public LiveEventRouter(ChannelsConfig channels, LiveClients clients) {
        this.channels = channels;
        this.clients = clients;
    }

    public void route(String channel, String payload) {
        try {
            if (channel.equals(channels.errors())) {
                routeError(codec.decodeError(payload));
            } else if (channel.equals(channels.executions())) {
                routeExecution(codec.decodeExecution(payload));
            } else if (channel.equals(channels.alerts())) {
                routeAlert(payload);
            }
        } catch (InvalidEventException e) {
            // The monitor logs, counts and keeps rejected events; the gateway only skips them.
            if (invalid.incrementAndGet() % 1000 == 1) {
                Log.debugf("skipped an invalid event on %s: %s", channel, e.getMessage());
            }
        }
    }

    private void routeError(ErrorEvent event) {
        if (!event.severity().atLeast(Severity.WARNING)) {
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
        JsonNode alert;
        try {
            alert = codec.mapper().readTree(payload);
        } catch (Exception e) {
            throw new InvalidEventException("alert is not valid JSON");
        }
        if (alert == null || !alert.isObject()) {
            throw new InvalidEventException("alert is not a JSON object");
        }
        clients.broadcast(new LiveFrame("alert", null, null, null, null, "\"alert\":" + alert));
    }
}
