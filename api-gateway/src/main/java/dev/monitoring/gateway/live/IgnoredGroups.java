package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.gateway.downstream.MonitorClient;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.api.ErrorGroupIndex;
import dev.monitoring.model.grouping.Grouping;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which live errors belong to an ignored group, so their frames can say so: the monitor's fingerprint rules, merges
 * and ignored groups ({@code /api/errors/groups/index}), refreshed in the background and at once when a group frame
 * says a group changed. While the monitor is away the last known index stays in force. With no group ignored (the
 * common case) a live error costs nothing more.
 */
@ApplicationScoped
public class IgnoredGroups {
    private final MonitorClient monitor;
    private final ObjectMapper mapper;
    private final GatewayConfig config;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile Grouping grouping = Grouping.NONE;
    private volatile Set<String> ignored = Set.of();

    public IgnoredGroups(@RestClient MonitorClient monitor, ObjectMapper mapper, GatewayConfig config) {
        this.monitor = monitor;
        this.mapper = mapper;
        this.config = config;
    }

    /** Whether the error counts in a group that is ignored now (as far as the last index tells). */
    public boolean isIgnored(ErrorEvent event) {
        Set<String> now = ignored;
        return !now.isEmpty() && now.contains(grouping.group(event));
    }

    /**
     * A group changed: read the index again now. One refresh runs at a time; a change told during one may have been
     * committed after it read, so it is followed by another.
     */
    public void changed() {
        again.set(true);
        refresh().subscribe().with(ok -> { }, failure -> { });
    }

    @Scheduled(every = "${gateway.live.groups-refresh:10s}", delayed = "1s")
    Uni<Void> refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        again.set(false);
        return monitor.errorGroupIndex()
                .ifNoItem().after(config.downstream().timeout()).fail()
                .map(this::read)
                .onFailure().recoverWithNull()
                .invoke(index -> {
                    if (index != null) {
                        grouping = new Grouping(index.rules(), index.merges());
                        ignored = Set.copyOf(index.ignored());
                    }
                })
                .onTermination().invoke(() -> {
                    refreshing.set(false);
                    if (again.get()) {
                        changed();
                    }
                })
                .replaceWithVoid();
    }

    private ErrorGroupIndex read(Response response) {
        if (response.getStatus() != 200) {
            return null;
        }
        try {
            return mapper.readValue(response.readEntity(String.class), ErrorGroupIndex.class);
        } catch (Exception e) {
            return null;
        }
    }
}
