package dev.monitoring.model.publish;

import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.ExecutionEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes events on their Redis channels through the shared {@link EventCodec}, in order, never blocking
 * the caller. Every event goes through a bounded in-memory outbox and one PUBLISH is in flight at a time, so
 * when Redis is unreachable the events wait (in order) and are flushed once it is back. A full outbox drops
 * its oldest event and says so: a warning log, the counter {@code monitoring.publisher.dropped} and
 * {@link #status()} for a health check.
 */
@ApplicationScoped
public class EventPublisher {
    // JBoss Logging, not io.quarkus.logging.Log: this library class also runs without Quarkus' bytecode rewriting.
    private static final Logger Log = Logger.getLogger(EventPublisher.class);

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

    private record Pending(String channel, String payload) {
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

    /** Queues an error event for the errors channel. */
    public void publish(ErrorEvent event) {
        publish(channels.errors(), event);
    }

    /** Queues an execution event for the executions channel. */
    public void publish(ExecutionEvent event) {
        publish(channels.executions(), event);
    }

    /** Queues any contract object (encoded with the shared codec) for a channel. */
    public void publish(String channel, Object event) {
        String payload = codec.encode(event);
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
            outbox.addLast(new Pending(channel, payload));
        }
        sendNext();
    }

    public OutboxStatus status() {
        synchronized (outbox) {
            return new OutboxStatus(outbox.size(), config.outboxCapacity(), dropped,
                    (long) publishedCounter.count(), reachable, lastError);
        }
    }

    /** Starts sending the head of the outbox unless a send is already in flight. */
    private void sendNext() {
        if (closed || !sending.compareAndSet(false, true)) {
            return;
        }
        Pending head;
        synchronized (outbox) {
            head = outbox.peekFirst();
        }
        if (head == null) {
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
        redis.execute("PUBLISH", head.channel(), head.payload())
                .ifNoItem().after(config.publishTimeout()).fail()
                .subscribe().with(ok -> sent(head), this::failed);
    }

    private void sent(Pending head) {
        synchronized (outbox) {
            if (outbox.peekFirst() == head) {
                outbox.removeFirst();
            }
        }
        publishedCounter.increment();
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

    @PreDestroy
    void close() {
        int left = status().size();
        if (left > 0 && !awaitDrained(Duration.ofSeconds(2))) {
            Log.warnf("Shutting down with %d events not published (Redis unreachable)", status().size());
        }
        closed = true;
    }
}
