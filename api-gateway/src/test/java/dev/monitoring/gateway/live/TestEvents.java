package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/** Error events as a producer publishes them (snake_case JSON of the contract). */
final class TestEvents {
    private TestEvents() {
    }

    static String error(String severity, String category, String type, String message, String symbol) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("error_id", UUID.randomUUID().toString());
        e.put("error_type", type);
        e.put("error_message", message);
        e.put("severity", severity);
        e.put("category", category);
        ObjectNode context = e.putObject("context");
        context.put("component", "gateway_test");
        context.put("symbol", symbol);
        return e.toString();
    }
}
