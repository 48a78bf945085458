package dev.monitoring.gateway.downstream;

import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Polls the monitor's and the runner's readiness in the background and remembers since when each is down, so that
 * an outage is told to the people watching instead of being noticed at the next page load: once one lasts longer
 * than {@code gateway.downstream.down-after}, a {@link ServiceOutage} event is fired (the live WebSocket turns it into
 * an alert frame), and one more when the service is back. A readiness answer other than 200 is DOWN, no answer within
 * the downstream timeout is UNREACHABLE. Each replica watches for its own clients.
 */
@ApplicationScoped
public class DownstreamWatch {
    private final Map<String, Supplier<Uni<Response>>> readiness = new LinkedHashMap<>();
    private final Map<String, Watched> watched = new LinkedHashMap<>();
    private final Event<ServiceOutage> outages;
    private final Duration timeout;
    private final Duration pollInterval;
    private final Duration downAfter;
    private final Heartbeat heartbeat;

    public DownstreamWatch(@RestClient MonitorProbes monitor, @RestClient RunnerProbes runner, Event<ServiceOutage> outages,
            GatewayConfig config, Heartbeats heartbeats) {
        this.outages = outages;
        this.timeout = config.downstream().timeout();
        this.pollInterval = config.downstream().pollInterval();
        this.downAfter = config.downstream().downAfter();
        readiness.put(MonitorClient.SERVICE, monitor::readiness);
        readiness.put(RunnerClient.SERVICE, runner::readiness);
        Instant now = Instant.now();
        readiness.keySet().forEach(service -> watched.put(service, new Watched(service, now)));
        this.heartbeat = heartbeats.register("downstream-watch");
    }

    public enum State {
        /** Not polled yet. */
        UNKNOWN,
        /** Readiness 200. */
        UP,
        /** Answered, but not ready (503) or some other status. */
        DOWN,
        /** No answer within the downstream timeout: refused, reset, too slow. */
        UNREACHABLE
    }

    /** What the watcher knows of one service. {@code downSeconds} is 0 while it is UP or not polled yet. */
    public record ServiceState(State state, Instant since, Instant checkedAt, long downSeconds, boolean alerted) {
    }

    @Scheduled(every = "${gateway.downstream.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        // Each call is bounded by the timeout: a poll that takes longer than that plus the stall bound is stuck.
        heartbeat.beat(timeout);
        List<Uni<Void>> checks = new ArrayList<>();
        readiness.forEach((service, call) -> checks.add(check(service, call)));
        return Uni.combine().all().unis(checks).discardItems()
                .onTermination().invoke(() -> heartbeat.beat(pollInterval));
    }

    /** The state of every watched service, in a stable order (monitor, runner). */
    public synchronized Map<String, ServiceState> states() {
        Instant now = Instant.now();
        Map<String, ServiceState> states = new LinkedHashMap<>();
        watched.forEach((service, w) -> states.put(service, w.snapshot(now)));
        return states;
    }

    /** The outages already announced and still going on, as seen now: what a client that connects now must hear. */
    public synchronized List<ServiceOutage> announced() {
        Instant now = Instant.now();
        List<ServiceOutage> announced = new ArrayList<>();
        watched.forEach((service, w) -> {
            if (w.announced) {
                announced.add(new ServiceOutage(service, w.state, w.since, now, false));
            }
        });
        return announced;
    }

    /** One readiness call; its failure is this service's state, never the poll's (the other service is still checked). */
    private Uni<Void> check(String service, Supplier<Uni<Response>> call) {
        return Uni.createFrom().<Response>deferred(call::get)
                .ifNoItem().after(timeout).fail()
                .map(response -> {
                    int status = response.getStatus();
                    response.close();
                    return status == 200 ? State.UP : State.DOWN;
                })
                .onFailure().recoverWithItem(State.UNREACHABLE)
                .invoke(state -> observe(service, state, Instant.now()))
                .replaceWithVoid();
    }

    void observe(String service, State state, Instant now) {
        ServiceOutage announce;
        synchronized (this) {
            announce = watched.get(service).observe(state, now, downAfter);
        }
        if (announce != null) {
            // Service names and seconds only: nothing a client or an event sent.
            if (announce.recovered()) {
                Log.infof("%s: telling WebSocket clients", announce.message());
            } else {
                Log.warnf("%s: telling WebSocket clients", announce.message());
            }
            outages.fire(announce);
        }
    }

    /** One service's state; guarded by the watch's lock. */
    private static final class Watched {
        private final String service;
        private State state = State.UNKNOWN;
        private Instant since;
        private Instant checkedAt;
        private boolean announced;

        Watched(String service, Instant start) {
            this.service = service;
            this.since = start;
        }

        /** Records one poll's result; returns what to announce, or null. */
        ServiceOutage observe(State now, Instant at, Duration downAfter) {
            checkedAt = at;
            if (now == State.UP) {
                ServiceOutage recovery = announced ? new ServiceOutage(service, state, since, at, true) : null;
                if (state != State.UP) {
                    since = at;
                }
                state = State.UP;
                announced = false;
                return recovery;
            }
            if (state == State.UP || state == State.UNKNOWN) {
                since = at;
            }
            // DOWN and UNREACHABLE may alternate during one outage (a restart): it began at its first failed poll.
            state = now;
            if (!announced && Duration.between(since, at).compareTo(downAfter) >= 0) {
                announced = true;
                return new ServiceOutage(service, state, since, at, false);
            }
            return null;
        }

        ServiceState snapshot(Instant now) {
            boolean down = state == State.DOWN || state == State.UNREACHABLE;
            return new ServiceState(state, since, checkedAt, down ? Duration.between(since, now).toSeconds() : 0, announced);
        }
    }
}
