package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The monitor's current error health, refreshed in the background so that greeting a new
 * WebSocket client never waits on (or hammers) the monitor. Null while the monitor is down.
 * A periodic worker for liveness: a refresh owes its end within the downstream timeout, the next one comes a
 * refresh interval later; a monitor that is down is a failed refresh, not a stall.
 */
@ApplicationScoped
public class ErrorHealthCache {
    private final MonitorClient monitor;
    private final ObjectMapper mapper;
    private final GatewayConfig config;
    private final Heartbeat heartbeat;
    private volatile JsonNode current;

    public ErrorHealthCache(@RestClient MonitorClient monitor, ObjectMapper mapper, GatewayConfig config,
            Heartbeats heartbeats) {
        this.monitor = monitor;
        this.mapper = mapper;
        this.config = config;
        this.heartbeat = heartbeats.register("error-health-refresh");
    }

    public JsonNode current() {
        return current;
    }

    @Scheduled(every = "${gateway.live.health-refresh:5s}", delayed = "1s")
    Uni<Void> refresh() {
        heartbeat.beat(config.downstream().timeout());
        return monitor.errorHealth()
                .ifNoItem().after(config.downstream().timeout()).fail()
                .map(this::read)
                .onFailure().recoverWithNull()
                .invoke(health -> current = health)
                .onTermination().invoke(() -> heartbeat.beat(config.live().healthRefresh()))
                .replaceWithVoid();
    }

    private JsonNode read(Response response) {
        if (response.getStatus() != 200) {
            return null;
        }
        try {
            return mapper.readTree(response.readEntity(String.class));
        } catch (Exception e) {
            return null;
        }
    }
}
