package dev.monitoring.monitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A request body read as JSON; one that is not JSON is the client's 400, naming the body. */
public final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBody() {
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new BadParameterException("body", "the body is not JSON: " + e.getMessage());
        }
    }
}
