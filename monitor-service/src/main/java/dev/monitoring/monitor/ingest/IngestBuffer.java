package dev.monitoring.monitor.ingest;

import io.quarkus.logging.Log;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded hand-over from the Redis I/O thread to the writer. {@link #offer} never blocks: a full
 * buffer drops the message, counts it and warns once per episode (an episode ends when the
 * buffer has drained to half its capacity).
 */
@Singleton
public class IngestBuffer {
    private final BlockingQueue<ReceivedMessage> queue;
    private final int capacity;
    private final IngestMetrics metrics;
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final AtomicLong droppedInEpisode = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();

    public IngestBuffer(IngestConfig config, IngestMetrics metrics, MeterRegistry registry) {
        this.capacity = config.bufferCapacity();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        Gauge.builder("monitor.ingest.buffer.size", queue, BlockingQueue::size)
                .description("Messages waiting to be written").register(registry);
    }

    public void offer(ReceivedMessage message) {
        metrics.received.increment();
        if (queue.offer(message)) {
            return;
        }
        metrics.dropped.increment();
        droppedTotal.incrementAndGet();
        droppedInEpisode.incrementAndGet();
        if (overflowing.compareAndSet(false, true)) {
            Log.warnf("Ingest buffer FULL (%d messages): dropping new events until the database catches up", capacity);
        }
    }

    /**
     * For the stream consumer, whose entries stay pending in Redis until stored: waits for room instead of dropping.
     * False when there was none within the time.
     */
    public boolean put(ReceivedMessage message, long timeoutMillis) throws InterruptedException {
        if (!queue.offer(message, timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        metrics.streamReceived.increment();
        return true;
    }

    /** When the oldest waiting message arrived, null when none waits. */
    public java.time.Instant oldestReceivedAt() {
        ReceivedMessage head = queue.peek();
        return head == null ? null : head.receivedAt();
    }

    public int remaining() {
        return queue.remainingCapacity();
    }

    /** Waits up to {@code timeoutMillis} for a first message, then takes what is there, up to {@code max}. */
    public void drainTo(List<ReceivedMessage> batch, int max, long timeoutMillis) throws InterruptedException {
        ReceivedMessage first = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        queue.drainTo(batch, max - 1);
        if (overflowing.get() && queue.size() <= capacity / 2 && overflowing.compareAndSet(true, false)) {
            Log.warnf("Ingest buffer recovered: %d events were dropped while it was full", droppedInEpisode.getAndSet(0));
        }
    }

    public int size() {
        return queue.size();
    }

    public int capacity() {
        return capacity;
    }

    public long dropped() {
        return droppedTotal.get();
    }

    public boolean overflowing() {
        return overflowing.get();
    }
}
