package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monitoring.gateway.downstream.DownstreamWatch;
import dev.monitoring.gateway.downstream.ServiceOutage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * A downstream outage as the live clients see it: an {@code alert} frame of rule {@code service_down}, in the shape of
 * the monitor's alerts so the dashboard shows it like any other (plus {@code resolved} and {@code source}). Broadcast
 * when the outage passes the threshold and when it ends; a client that connects during one gets it right after its
 * hello, marked as a reminder.
 */
@ApplicationScoped
public class DownstreamAlerts {
    static final String RULE = "service_down";

    private final LiveClients clients;
    private final DownstreamWatch watch;
    private final ObjectMapper mapper;

    public DownstreamAlerts(LiveClients clients, DownstreamWatch watch, ObjectMapper mapper) {
        this.clients = clients;
        this.watch = watch;
        this.mapper = mapper;
    }

    void announce(@Observes ServiceOutage outage) {
        clients.broadcast(new LiveFrame("alert", null, null, null, null, "\"alert\":" + alert(outage, false)));
    }

    /** The frames of the outages going on now, for a client that just connected. */
    List<String> current() {
        return watch.announced().stream()
                .map(outage -> "{\"type\":\"alert\",\"alert\":" + alert(outage, true) + "}")
                .toList();
    }

    private String alert(ServiceOutage outage, boolean reminder) {
        ObjectNode alert = mapper.createObjectNode();
        // One id per outage, shared by its announcement, reminders and recovery.
        alert.put("alert_id", "api-gateway:" + RULE + ":" + outage.service() + ":" + outage.since().toEpochMilli());
        alert.put("rule", RULE);
        alert.put("severity", outage.recovered() ? "info" : "critical");
        alert.put("message", outage.message());
        alert.put("key", outage.service());
        alert.put("first_seen", outage.since().toString());
        alert.put("last_seen", outage.at().toString());
        alert.put("count", 1);
        alert.put("reminder", reminder);
        alert.put("timestamp", outage.at().toString());
        alert.put("resolved", outage.recovered());
        alert.put("source", "api-gateway");
        return alert.toString();
    }
}
