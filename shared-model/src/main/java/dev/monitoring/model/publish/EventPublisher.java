package dev.monitoring.model.publish;

import dev.monitoring.model.Channels;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes events on their Redis channels through the shared {@link EventCodec}, in order, never blocking
 * the caller. Every event goes through a bounded in-memory outbox and one pipelined batch of commands is in flight
 * at a time, so when Redis is unreachable the events wait (in order) and are flushed once it is back. A full outbox
 * drops its oldest event and says so: a warning log, the counter {@code monitoring.publisher.dropped} and
 * {@link #status()} for a health check.
 *
 * <p>Error and execution events are also appended to their durable stream ({@link Channels#stream}) before the
 * PUBLISH, capped with {@code MAXLEN ~}: pub/sub is at-most-once, the stream is what the monitors acknowledge
 * after their database commit. An event is removed from the outbox only once Redis answered both commands; a batch
 * that failed half-way is sent again whole, so an event may reach the stream twice, which the monitor's
 * idempotent storage (on {@code error_id}) absorbs. The pub/sub copy of such an event is marked
 * ({@link Channels#markDurable}): monitors that consume the stream store the stream's copy only, and use pub/sub for
 * nothing else, so each event is ingested once.
 */
@ApplicationScoped
public class EventPublisher {
    // JBoss Logging, not io.quarkus.logging.Log: this library class also runs without Quarkus' bytecode rewriting.
    private static final Logger Log = Logger.getLogger(EventPublisher.class);
    /** Events sent in one pipelined round trip. */
    private static final int BATCH = 256;

    private final ReactiveRedisDataSource redis;
    private final ChannelsConfig channels;
    private final PublisherConfig config;
    private final EventCodec codec = new EventCodec();
    private final Deque<Pending> outbox = new ArrayDeque<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final Counter droppedCounter;
    private final Counter publishedCounter;
    private volatile boolean reachable = true;
    private volatile String lastError;
    private volatile boolean closed;
    private long dropped;

    /** {@code stream} is null for channels without a durable stream (alerts, custom channels). */
    private record Pending(String channel, String stream, String payload) {
    }

    public EventPublisher(ReactiveRedisDataSource redis, ChannelsConfig channels, PublisherConfig config,
                          MeterRegistry registry) {
        this.redis = redis;
        this.channels = channels;
        this.config = config;
        this.droppedCounter = Counter.builder("monitoring.publisher.dropped")
                .description("Events dropped because the publisher outbox was full").register(registry);
        this.publishedCounter = Counter.builder("monitoring.publisher.published")
                .description("Events published on Redis").register(registry);
        registry.gauge("monitoring.publisher.outbox.size", outbox, o -> {
            synchronized (o) {
                return o.size();
            }
        });
    }

    /**
     * Queues an error event for the errors channel and its stream. An event without an id gets one here: the monitor
     * receives it twice (pub/sub and stream) and recognises the second copy by its id, so it must be the same in both.
     */
    public void publish(ErrorEvent event) {
        boolean hasId = event.errorId() != null && !event.errorId().isBlank();
        publish(channels.errors(), hasId ? event : event.withErrorId(java.util.UUID.randomUUID().toString()));
    }

    /** Queues an execution event for the executions channel and its stream. */
    public void publish(ExecutionEvent event) {
        publish(channels.executions(), event);
    }

    /**
     * Queues any contract object (encoded with the shared codec) for a channel; on the errors and executions channels
     * it goes to their stream too.
     */
    public void publish(String channel, Object event) {
        String payload = codec.encode(event);
        boolean durable = config.streamEnabled() && (channel.equals(channels.errors()) || channel.equals(channels.executions()));
        synchronized (outbox) {
            if (outbox.size() >= config.outboxCapacity()) {
                outbox.removeFirst();
                dropped++;
                droppedCounter.increment();
                if (dropped == 1 || dropped % 1000 == 0) {
                    Log.warnf("Event outbox full (%d events, Redis %s): dropped the oldest event, %d dropped so far",
                            config.outboxCapacity(), reachable ? "slow" : "unreachable: " + lastError, dropped);
                }
            }
            outbox.addLast(new Pending(channel, durable ? Channels.stream(channel) : null, payload));
        }
        sendNext();
    }

    public OutboxStatus status() {
        synchronized (outbox) {
            return new OutboxStatus(outbox.size(), config.outboxCapacity(), dropped,
                    (long) publishedCounter.count(), reachable, lastError);
        }
    }

    /** Starts sending the head of the outbox (up to {@link #BATCH} events) unless a send is already in flight. */
    private void sendNext() {
        if (closed || !sending.compareAndSet(false, true)) {
            return;
        }
        List<Pending> head = new ArrayList<>();
        synchronized (outbox) {
            Iterator<Pending> it = outbox.iterator();
            while (it.hasNext() && head.size() < BATCH) {
                head.add(it.next());
            }
        }
        if (head.isEmpty()) {
            sending.set(false);
            // An event queued between the peek and the reset would otherwise wait for the next publish.
            synchronized (outbox) {
                if (outbox.isEmpty()) {
                    return;
                }
            }
            sendNext();
            return;
        }
        List<Request> commands = new ArrayList<>(head.size() * 2);
        String maxLen = Long.toString(config.streamMaxLength());
        for (Pending p : head) {
            if (p.stream() != null) {
                commands.add(Request.cmd(Command.XADD).arg(p.stream()).arg("MAXLEN").arg("~").arg(maxLen).arg("*")
                        .arg(Channels.STREAM_FIELD).arg(p.payload()));
            }
            commands.add(Request.cmd(Command.PUBLISH).arg(p.channel())
                    .arg(p.stream() != null ? Channels.markDurable(p.payload()) : p.payload()));
        }
        redis.getRedis().batch(commands)
                .ifNoItem().after(config.publishTimeout()).fail()
                .subscribe().with(ok -> sent(head), this::failed);
    }

    private void sent(List<Pending> head) {
        synchronized (outbox) {
            // A full outbox may have dropped some of them meanwhile (always from the front), so remove by identity.
            for (Pending p : head) {
                if (outbox.peekFirst() == p) {
                    outbox.removeFirst();
                }
            }
        }
        publishedCounter.increment(head.size());
        if (!reachable) {
            Log.infof("Redis reachable again: flushing the event outbox (%d waiting)", status().size());
        }
        reachable = true;
        lastError = null;
        sending.set(false);
        sendNext();
    }

    private void failed(Throwable failure) {
        if (reachable) {
            Log.warnf("Cannot publish events (%s): keeping them in the outbox and retrying every %s",
                    failure.getMessage(), config.retryInterval());
        }
        reachable = false;
        lastError = String.valueOf(failure.getMessage());
        Uni.createFrom().voidItem().onItem().delayIt().by(config.retryInterval())
                .subscribe().with(x -> {
                    sending.set(false);
                    sendNext();
                });
    }

    /** Waits until every queued event is published or the time is up; true when the outbox is empty. */
    public boolean awaitDrained(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            synchronized (outbox) {
                if (outbox.isEmpty()) {
                    return true;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * At SIGTERM, after the services' own shutdown observers (a runner stopping its run publishes that run's end),
     * while Redis still answers: by {@link PreDestroy} time its client may be closed already.
     */
    void drainAtShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        close();
    }

    @PreDestroy
    void close() {
        if (closed) {
            return;
        }
        int left = status().size();
        if (left > 0 && !awaitDrained(Duration.ofSeconds(2))) {
            Log.warnf("Shutting down with %d events not published (Redis unreachable)", status().size());
        }
        closed = true;
    }
}
