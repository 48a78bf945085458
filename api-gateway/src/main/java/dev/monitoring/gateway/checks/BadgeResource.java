package dev.monitoring.gateway.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.gateway.downstream.Relay;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Map;

/**
 * A check's status badge for a README or a wiki: {@code /badge/{badge_key}.svg}, no login. The badge key is its own
 * (not the ping key), so embedding a badge lets nobody signal the check; the badge shows the check's name and state.
 */
@Path("/badge")
@PermitAll
@Tag(name = "checks")
public class BadgeResource {
    static final String SVG = "image/svg+xml";
    private static final Map<String, String> COLOURS = Map.of("up", "#4c1", "running", "#007ec6", "new", "#9f9f9f",
            "paused", "#9f9f9f", "late", "#dfb317", "blocked", "#fe7d37", "down", "#e05d44");

    private final MonitorClient monitor;
    private final Relay relay;
    private final ObjectMapper mapper;

    public BadgeResource(@RestClient MonitorClient monitor, Relay relay, ObjectMapper mapper) {
        this.monitor = monitor;
        this.relay = relay;
        this.mapper = mapper;
    }

    @GET
    @Path("/{key}.svg")
    @Produces(SVG)
    @Operation(summary = "A check's status badge (SVG)", description = "No login: the badge key is the credential and shows only name and state")
    @APIResponse(responseCode = "200", description = "The badge")
    @APIResponse(responseCode = "404", description = "No check has this badge key")
    public Uni<Response> badge(@PathParam("key") String key) {
        return relay.relay(MonitorClient.SERVICE, () -> monitor.checkBadge(key)).map(answer -> {
            if (answer.getStatus() == 404) {
                return Response.status(404).type(SVG).entity(svg("check", "unknown", "#9f9f9f")).build();
            }
            if (answer.getStatus() != 200) {
                return Response.status(503).type(SVG).entity(svg("check", "unavailable", "#9f9f9f")).build();
            }
            try {
                JsonNode check = mapper.readTree((String) answer.getEntity());
                String state = check.path("state").asText("unknown");
                return Response.ok(svg(check.path("name").asText("check"), state, COLOURS.getOrDefault(state, "#9f9f9f")), SVG)
                        .header("Cache-Control", "no-cache, max-age=0").build();
            } catch (Exception e) {
                return Response.status(503).type(SVG).entity(svg("check", "unavailable", "#9f9f9f")).build();
            }
        });
    }

    /** A flat two-part badge, widths estimated at 7 px a character (Verdana 11 px averages about 6.5). */
    static String svg(String label, String value, String colour) {
        String l = escape(label.length() > 60 ? label.substring(0, 60) : label);
        String v = escape(value);
        int lw = 10 + 7 * label.length();
        int vw = 10 + 7 * value.length();
        return """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">\
                <title>%s: %s</title>\
                <rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/>\
                <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">\
                <text x="%d" y="14">%s</text><text x="%d" y="14">%s</text></g></svg>"""
                .formatted(lw + vw, l, v, l, v, lw, lw, vw, colour, lw / 2, l, lw + vw / 2, v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
