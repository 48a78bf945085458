package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.monitor.ingest.IngestBuffer;
import dev.monitoring.monitor.ingest.ReceivedMessage;
import dev.monitoring.monitor.ingest.StreamEntry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Reads the entries no consumer of the group has seen ({@code XREADGROUP ... >}) and hands each to the
 * {@link IngestBuffer}, waiting for room rather than dropping: an entry it could not hand over stays pending in Redis.
 */
final class StreamReader {
    private final ReactiveRedisDataSource redis;
    private final StreamConfig config;
    private final IngestBuffer buffer;
    private final Map<String, String> channelOfStream;
    private final List<String> streams;
    private final String consumer;
    private final Heartbeat heartbeat;
    private final BooleanSupplier running;

    StreamReader(ReactiveRedisDataSource redis, StreamConfig config, IngestBuffer buffer, Map<String, String> channelOfStream,
                 List<String> streams, String consumer, Heartbeat heartbeat, BooleanSupplier running) {
        this.redis = redis;
        this.config = config;
        this.buffer = buffer;
        this.channelOfStream = channelOfStream;
        this.streams = streams;
        this.consumer = consumer;
        this.heartbeat = heartbeat;
        this.running = running;
    }

    void readNew() throws InterruptedException {
        if (!awaitRoom(config.readCount())) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("GROUP", config.group(), consumer, "COUNT", Integer.toString(config.readCount()),
                "BLOCK", Long.toString(config.block().toMillis()), "STREAMS"));
        args.addAll(streams);
        streams.forEach(s -> args.add(">"));
        Response response = redis.execute("XREADGROUP", args.toArray(String[]::new))
                .await().atMost(config.block().plus(StreamReplies.CALL_TIMEOUT));
        if (response == null) {
            return; // nothing new within the block time
        }
        if (response.isMap()) { // RESP3: stream -> entries
            for (String stream : response.getKeys()) {
                enqueue(stream, response.get(stream));
            }
        } else { // RESP2: [[stream, entries], ...]
            for (Response perStream : response) {
                enqueue(perStream.get(0).toString(), perStream.get(1));
            }
        }
    }

    private void enqueue(String stream, Response entries) throws InterruptedException {
        if (entries == null) {
            return;
        }
        Instant now = Instant.now();
        for (Response entry : entries) {
            if (entry == null || entry.get(0) == null) {
                continue;
            }
            if (!hand(stream, entry, now)) {
                return;
            }
        }
    }

    /** Waits for room in the buffer; false when stopping (the entry stays pending and is claimed later). */
    boolean hand(String stream, Response entry, Instant now) throws InterruptedException {
        ReceivedMessage message = new ReceivedMessage(channelOfStream.get(stream), StreamReplies.payload(entry.get(1)), now,
                new StreamEntry(stream, entry.get(0).toString()));
        while (!buffer.put(message, 500)) {
            if (!running.getAsBoolean()) {
                return false;
            }
            waitingOnWriter();
        }
        return true;
    }

    private boolean awaitRoom(int needed) throws InterruptedException {
        while (running.getAsBoolean() && buffer.remaining() < needed) {
            waitingOnWriter();
            Thread.sleep(20);
        }
        return running.getAsBoolean();
    }

    /**
     * Waiting for room the writer makes counts as progress while the writer has something to write (the writer's own
     * heartbeat says whether it moves); waiting on an empty buffer, room that can never come, does not.
     */
    private void waitingOnWriter() {
        if (buffer.size() > 0) {
            heartbeat.beat();
        }
    }
}
