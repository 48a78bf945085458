package dev.monitoring.model.liveness;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every worker of this process that liveness watches; each registers once at start-up. */
@Singleton
public class Heartbeats {
    private final LivenessConfig config;
    private final List<Heartbeat> all = new CopyOnWriteArrayList<>();

    public Heartbeats(LivenessConfig config) {
        this.config = config;
    }

    public Heartbeat register(String worker) {
        Heartbeat h = new Heartbeat(worker, config.stallAfter(), System::currentTimeMillis);
        all.add(h);
        return h;
    }

    public List<Heartbeat.Status> statuses() {
        return all.stream().map(Heartbeat::status).toList();
    }

    /** The first worker that is stalled or dead, null when every worker moves. */
    public Heartbeat.Status firstFailing() {
        return statuses().stream().filter(s -> !s.state().alive()).findFirst().orElse(null);
    }
}
