package dev.monitoring.gateway.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * A request body the gateway relays to a downstream service after writing the logged-in user into it (so that the
 * record of who did what can be trusted): a JSON object within a size bound, or the answer refusing it (413 too
 * long, 400 not a JSON object). Everything else in it is the downstream service's to validate.
 */
public record RelayedBody(ObjectNode body, Response refusal) {

    /**
     * Reads {@code text}, refusing it when longer than {@code maxChars} ("{what} too large") or not a JSON object,
     * and sets {@code userField} to {@code user} (a value the client sent there is replaced); a null {@code userField}
     * writes nothing.
     */
    public static RelayedBody read(String text, int maxChars, String what, String userField, String user, ObjectMapper mapper) {
        if (text != null && text.length() > maxChars) {
            return refused(Response.Status.REQUEST_ENTITY_TOO_LARGE, what + " too large: at most " + maxChars + " characters");
        }
        JsonNode parsed;
        try {
            parsed = text == null || text.isBlank() ? null : mapper.readTree(text);
        } catch (Exception e) {
            return refused(Response.Status.BAD_REQUEST, "the body is not valid JSON");
        }
        if (parsed == null || !parsed.isObject()) {
            return refused(Response.Status.BAD_REQUEST, "the body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) parsed;
        if (userField != null) {
            body.put(userField, user);
        }
        return new RelayedBody(body, null);
    }

    private static RelayedBody refused(Response.Status status, String reason) {
        return new RelayedBody(null, Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", reason)).build());
    }
}
