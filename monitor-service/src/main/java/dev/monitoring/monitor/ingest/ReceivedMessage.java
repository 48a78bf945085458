package dev.monitoring.monitor.ingest;

import java.time.Instant;

/** A raw message as it came off a Redis channel; decoding happens on the writer thread, never on the I/O thread. */
public record ReceivedMessage(String channel, String payload, Instant receivedAt) {
}
