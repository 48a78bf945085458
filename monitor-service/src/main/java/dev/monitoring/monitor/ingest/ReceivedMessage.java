package dev.monitoring.monitor.ingest;

import java.time.Instant;

/**
 * A raw message as it came off a Redis channel or stream; decoding happens on the writer thread, never on the I/O
 * thread. {@code entry} is null for pub/sub messages; a stream entry without an event field has a null payload.
 */
public record ReceivedMessage(String channel, String payload, Instant receivedAt, StreamEntry entry) {
    public ReceivedMessage(String channel, String payload, Instant receivedAt) {
        this(channel, payload, receivedAt, null);
    }
}
