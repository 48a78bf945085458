package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.downstream.MonitorClient;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The monitor's current error health, refreshed in the background so that greeting a new
 * WebSocket client never waits on (or hammers) the monitor. Null while the monitor is down.
 */
@ApplicationScoped
public class ErrorHealthCache {
    private final MonitorClient monitor;
    private final ObjectMapper mapper;
    private final GatewayConfig config;
    private volatile JsonNode current;

    public ErrorHealthCache(@RestClient MonitorClient monitor, ObjectMapper mapper, GatewayConfig config) {
        this.monitor = monitor;
        this.mapper = mapper;
        this.config = config;
    }

    public JsonNode current() {
        return current;
    }

    @Scheduled(every = "${gateway.live.health-refresh:5s}", delayed = "1s")
    Uni<Void> refresh() {
        return monitor.errorHealth()
                .ifNoItem().after(config.downstream().timeout()).fail()
                .map(this::read)
                .onFailure().recoverWithNull()
                .invoke(health -> current = health)
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
