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
 * Bounded hand-over from the Redis I/O thread to the writer, in messages and in bytes of payload (a count alone
 * lets 100,000 events of 64 KiB take 6 GiB). {@link #offer} never blocks: a full buffer drops the message, counts it
 * and warns once per episode (an episode ends when the buffer has drained to half its capacity). One message is
 * always taken into an empty buffer, whatever its size, so a large event cannot wait for room forever.
 */
@Singleton
public class IngestBuffer {
    private final BlockingQueue<ReceivedMessage> queue;
    private final int capacity;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final IngestMetrics metrics;
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final AtomicLong droppedInEpisode = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();

    public IngestBuffer(IngestConfig config, IngestMetrics metrics, MeterRegistry registry) {
        this.capacity = config.bufferCapacity();
        this.maxBytes = config.bufferMaxBytes().asLongValue();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        Gauge.builder("monitor.ingest.buffer.size", queue, BlockingQueue::size)
                .description("Messages waiting to be written").register(registry);
        Gauge.builder("monitor.ingest.buffer.bytes", bytes, AtomicLong::get)
                .description("Payload bytes waiting to be written").register(registry);
    }

    public void offer(ReceivedMessage message) {
        metrics.received.increment();
        if (reserve(message)) {
            if (queue.offer(message)) {
                return;
            }
            release(message);
        }
        metrics.dropped.increment();
        droppedTotal.incrementAndGet();
        droppedInEpisode.incrementAndGet();
        if (overflowing.compareAndSet(false, true)) {
            Log.warnf("Ingest buffer FULL (%d of %d messages, %d of %d bytes): dropping new events until the database catches up",
                    queue.size(), capacity, bytes.get(), maxBytes);
        }
    }

    /**
     * For the stream consumer, whose entries stay pending in Redis until stored: waits for room instead of dropping.
     * False when there was none within the time.
     */
    public boolean put(ReceivedMessage message, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!reserve(message)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        if (!queue.offer(message, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            release(message);
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
        int from = batch.size();
        batch.add(first);
        queue.drainTo(batch, max - 1);
        for (int i = from; i < batch.size(); i++) {
            release(batch.get(i));
        }
        if (overflowing.get() && queue.size() <= capacity / 2 && overflowing.compareAndSet(true, false)) {
            Log.warnf("Ingest buffer recovered: %d events were dropped while it was full", droppedInEpisode.getAndSet(0));
        }
    }

    /** Takes room for the message's bytes; false when it does not fit and the buffer is not empty. */
    private boolean reserve(ReceivedMessage message) {
        long cost = cost(message);
        long now = bytes.addAndGet(cost);
        if (now <= maxBytes || now == cost) {
            return true;
        }
        bytes.addAndGet(-cost);
        return false;
    }

    private void release(ReceivedMessage message) {
        bytes.addAndGet(-cost(message));
    }

    /** Payload characters plus the message's own objects; close enough to bound the heap, exact enough to count. */
    private static long cost(ReceivedMessage message) {
        return (message.payload() == null ? 0 : message.payload().length()) + 100L;
    }

    public long bytes() {
        return bytes.get();
    }

    public long maxBytes() {
        return maxBytes;
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
