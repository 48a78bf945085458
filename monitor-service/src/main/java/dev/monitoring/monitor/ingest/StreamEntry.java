package dev.monitoring.monitor.ingest;

/** Where a message came from when it was read from a stream: what to acknowledge once it is stored. */
public record StreamEntry(String stream, String id) {
}
