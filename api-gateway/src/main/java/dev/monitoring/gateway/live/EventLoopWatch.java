package dev.monitoring.gateway.live;

import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.model.liveness.LivenessConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A heartbeat per Vert.x event loop, beaten by a periodic timer on that loop. The whole fan-out runs on event loops:
 * Redis messages are routed on the subscriber connection's loop, frames are written on each client connection's loop,
 * throttled frames leave on timers. A loop held by a blocking call or a lock stops its timer, so the worker shows as
 * stalled and {@code /q/health/live} goes DOWN within the bound, where Vert.x's own blocked-thread checker only logs.
 *
 * <p>Every loop is watched, since which one carries the subscription changes with each reconnect and every loop
 * carries some clients. Reaching each loop needs Vert.x's internal API (a context per Netty event loop): a public
 * verticle deployment spreads instances round-robin without guaranteeing one per loop.
 */
@ApplicationScoped
public class EventLoopWatch {
    private final Vertx vertx;
    private final Heartbeats heartbeats;
    private final Duration period;
    private final List<Long> timers = new CopyOnWriteArrayList<>();

    public EventLoopWatch(Vertx vertx, Heartbeats heartbeats, LivenessConfig liveness) {
        this.vertx = vertx;
        this.heartbeats = heartbeats;
        // Several beats per bound, so one late timer (a GC pause) is never taken for a stall.
        long quarter = liveness.stallAfter().toMillis() / 4;
        this.period = Duration.ofMillis(Math.max(100, Math.min(1000, quarter)));
    }

    void start(@Observes StartupEvent startup) {
        VertxInternal internal = (VertxInternal) vertx;
        int index = 0;
        for (EventExecutor executor : internal.getEventLoopGroup()) {
            Heartbeat heartbeat = heartbeats.register("event-loop-" + index++);
            internal.createEventLoopContext((EventLoop) executor, null, Thread.currentThread().getContextClassLoader())
                    .runOnContext(v -> timers.add(vertx.setPeriodic(period.toMillis(), id -> heartbeat.beat())));
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        timers.forEach(vertx::cancelTimer);
    }
}
