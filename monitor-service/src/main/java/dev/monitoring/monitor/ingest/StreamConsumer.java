package dev.monitoring.monitor.ingest;

import dev.monitoring.model.Channels;
import dev.monitoring.model.ChannelsConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable path of issue 8: reads the {@code <channel>:stream} streams in the consumer group every monitor replica
 * joins, so each entry goes to one replica, and hands the entries to the {@link IngestBuffer} like pub/sub messages.
 * The {@link IngestWriter} acknowledges them only after the PostgreSQL commit ({@link StreamAcks}).
 *
 * <p>Runs on its own thread, so it may block: it waits for room in the buffer rather than dropping (an entry is
 * only lost if it is trimmed unread, which {@link StreamLag} reports). Every {@code claim-every} it takes over
 * entries another consumer left pending longer than {@code claim-min-idle} (a crashed replica, or this one before a
 * restart), and moves those delivered more than {@code max-deliveries} times to the dead-letter table.
 */
@ApplicationScoped
public class StreamConsumer {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Lag, length, pending summary and gap of a stream in one atomic look (see the script's comment). */
    private static final String INSPECT = script("/stream-inspect.lua");

    private final ReactiveRedisDataSource redis;
    private final StreamConfig config;
    private final IngestConfig.Reconnect backoff;
    private final IngestBuffer buffer;
    private final IngestWriter writer;
    private final StreamAcks acks;
    private final StreamLag lag;
    private final DeadLetterStore deadLetters;
    private final IngestMetrics metrics;
    private final Map<String, String> channelOfStream = new HashMap<>();
    private final List<String> streams;
    private final String consumer;

    private volatile boolean running;
    private volatile boolean reading;
    private volatile String lastError;
    private Thread thread;
    private boolean groupsReady;
    private long nextClaimAt;

    public StreamConsumer(ReactiveRedisDataSource redis, ChannelsConfig channels, StreamConfig config, IngestConfig ingest,
                          IngestBuffer buffer, IngestWriter writer, StreamAcks acks, StreamLag lag,
                          DeadLetterStore deadLetters, IngestMetrics metrics) {
        this.redis = redis;
        this.config = config;
        this.backoff = ingest.reconnect();
        this.buffer = buffer;
        this.writer = writer;
        this.acks = acks;
        this.lag = lag;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        for (String channel : List.of(channels.errors(), channels.executions())) {
            channelOfStream.put(Channels.stream(channel), channel);
        }
        this.streams = List.copyOf(channelOfStream.keySet());
        this.consumer = config.consumer().orElseGet(StreamConsumer::defaultConsumerName);
    }

    private static String defaultConsumerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "monitor";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("Stream consumption disabled (monitor.stream.enabled=false): pub/sub only, at most once");
            return;
        }
        lag.register(streams);
        start();
    }

    /**
     * Stops reading before the {@link IngestWriter} flushes the buffer (a lower priority runs first), so a graceful
     * stop (a rolling update) stores and acknowledges everything it read instead of leaving it pending for another
     * replica to claim a minute later.
     */
    void onStop(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        stop();
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this::loop, "monitor-stream-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops reading; what was read stays pending until stored and acknowledged (or claimed by another consumer). */
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(config.block().toMillis() + 2000);
        }
        reading = false;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** True while the last call to Redis worked. */
    public boolean reading() {
        return reading;
    }

    public String lastError() {
        return lastError;
    }

    public String consumer() {
        return consumer;
    }

    public String group() {
        return config.group();
    }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                if (!groupsReady) {
                    createGroups();
                }
                if (System.currentTimeMillis() >= nextClaimAt) {
                    nextClaimAt = System.currentTimeMillis() + config.claimEvery().toMillis();
                    claimAbandoned();
                }
                for (String stream : streams) {
                    inspect(stream);
                }
                // Redis answers and the group is there: ready, before the read that may block for a while
                if (!reading && failures > 0) {
                    Log.infof("Reading the event streams %s again as '%s' after %d failed attempt(s)", streams, consumer, failures);
                }
                reading = true;
                lastError = null;
                failures = 0;
                readNew();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                String message = String.valueOf(e.getMessage());
                if (message.contains("NOGROUP")) {
                    // Redis lost the group (restarted without persistence, or the key was deleted): recreate it.
                    groupsReady = false;
                    Log.warnf("Consumer group '%s' missing on %s: creating it again", config.group(), streams);
                    if (!sleep(Backoff.delayMillis(backoff, 0))) { // a key deleted again and again must not spin
                        return;
                    }
                    continue;
                }
                if (reading || failures == 0) {
                    Log.warnf("Cannot read the event streams %s (%s); retrying with backoff", streams, message);
                }
                reading = false;
                lastError = message;
                failures++;
                if (!sleep(Backoff.delayMillis(backoff, failures - 1))) {
                    return;
                }
            }
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * From the start of each stream (id 0): the first monitor to run also stores what was published before it.
     * ENTRIESREAD 0 tells Redis the group has read nothing yet, so its lag is exact from the first entry on and
     * entries trimmed before any monitor read them count as a gap, even those trimmed before the group existed.
     */
    private void createGroups() {
        for (String stream : streams) {
            try {
                call("XGROUP", "CREATE", stream, config.group(), "0", "MKSTREAM", "ENTRIESREAD", "0");
                Log.infof("Created consumer group '%s' on %s", config.group(), stream);
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                    throw e;
                }
            }
        }
        groupsReady = true;
        Log.infof("Consuming %s in group '%s' as '%s'", streams, config.group(), consumer);
    }

    private void readNew() throws InterruptedException {
        if (!awaitRoom(config.readCount())) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("GROUP", config.group(), consumer, "COUNT", Integer.toString(config.readCount()),
                "BLOCK", Long.toString(config.block().toMillis()), "STREAMS"));
        args.addAll(streams);
        streams.forEach(s -> args.add(">"));
        Response response = redis.execute("XREADGROUP", args.toArray(String[]::new))
                .await().atMost(config.block().plus(CALL_TIMEOUT));
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
    private boolean hand(String stream, Response entry, Instant now) throws InterruptedException {
        ReceivedMessage message = new ReceivedMessage(channelOfStream.get(stream), payload(entry.get(1)), now,
                new StreamEntry(stream, entry.get(0).toString()));
        while (!buffer.put(message, 500)) {
            if (!running) {
                return false;
            }
        }
        return true;
    }

    /** The event JSON of an entry's fields, null when the entry has none (a foreign XADD). */
    private static String payload(Response fields) {
        if (fields == null) {
            return null;
        }
        if (fields.isMap()) {
            Response value = fields.get(Channels.STREAM_FIELD);
            return value == null ? null : value.toString();
        }
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (Channels.STREAM_FIELD.equals(fields.get(i).toString())) {
                Response value = fields.get(i + 1);
                return value == null ? null : value.toString();
            }
        }
        return null;
    }

    private boolean awaitRoom(int needed) throws InterruptedException {
        while (running && buffer.remaining() < needed) {
            Thread.sleep(20);
        }
        return running;
    }

    /**
     * Takes over entries left pending too long by any consumer of the group. Skipped unless this replica is keeping
     * up (PostgreSQL writable, nothing it holds older than half the idle time): its own pending entries would look
     * abandoned and be delivered again and again, towards the dead-letter limit.
     */
    void claimAbandoned() throws InterruptedException {
        if (!writer.keepingUp(config.claimMinIdle().dividedBy(2))) {
            return;
        }
        for (String stream : streams) {
            String cursor = "0-0";
            int claimed = 0;
            do {
                Response r = call("XAUTOCLAIM", stream, config.group(), consumer, Long.toString(config.claimMinIdle().toMillis()),
                        cursor, "COUNT", Integer.toString(config.readCount()));
                cursor = r.get(0).toString();
                Response entries = r.get(1);
                if (r.size() > 2 && r.get(2) != null) {
                    lag.trimmedWhilePending(stream, r.get(2).size());
                    if (r.get(2).size() > 0) {
                        Log.errorf("%d pending entries of %s were trimmed before any consumer stored them: lost", r.get(2).size(), stream);
                    }
                }
                if (entries != null && entries.size() > 0) {
                    claimed += entries.size();
                    handleClaimed(stream, entries);
                }
            } while (!"0-0".equals(cursor) && claimed < 10 * config.readCount() && running);
            if (claimed > 0) {
                metrics.streamClaimed.increment(claimed);
                Log.infof("Claimed %d entries of %s left pending by a consumer that stopped or hangs", claimed, stream);
            }
        }
        forgetGoneConsumers();
    }

    private void handleClaimed(String stream, Response entries) throws InterruptedException {
        Map<String, Long> deliveries = deliveries(stream, entries);
        List<DeadLetterStore.DeadLetter> dead = new ArrayList<>();
        List<Response> alive = new ArrayList<>();
        for (Response entry : entries) {
            if (entry == null || entry.get(0) == null) {
                continue;
            }
            String id = entry.get(0).toString();
            long count = deliveries.getOrDefault(id, 1L);
            if (count > config.maxDeliveries()) {
                dead.add(new DeadLetterStore.DeadLetter(stream, id, payload(entry.get(1)), count,
                        "delivered " + count + " times without being stored (limit " + config.maxDeliveries()
                                + "): each consumer holding it stopped before its commit"));
            } else {
                alive.add(entry);
            }
        }
        if (!dead.isEmpty()) {
            deadLetters.store(dead);
            acks.ack(stream, dead.stream().map(DeadLetterStore.DeadLetter::entryId).toList());
            metrics.deadLettered.increment(dead.size());
            Log.errorf("Moved %d entries of %s to dead_letters after more than %d deliveries", dead.size(), stream, config.maxDeliveries());
        }
        if (!alive.isEmpty()) {
            Instant now = Instant.now();
            for (Response entry : alive) {
                if (!hand(stream, entry, now)) {
                    return;
                }
            }
        }
    }

    /** Delivery counts of the entries just claimed (now in this consumer's pending list). */
    private Map<String, Long> deliveries(String stream, Response entries) {
        String first = null;
        String last = null;
        for (Response entry : entries) {
            if (entry != null && entry.get(0) != null) {
                if (first == null) {
                    first = entry.get(0).toString();
                }
                last = entry.get(0).toString();
            }
        }
        Map<String, Long> counts = new HashMap<>();
        if (first == null) {
            return counts;
        }
        Response pending = call("XPENDING", stream, config.group(), first, last, Integer.toString(entries.size()), consumer);
        for (Response p : pending) {
            counts.put(p.get(0).toString(), p.get(3).toLong());
        }
        return counts;
    }

    /** Replicas that are gone for good leave their names in the group; drop those holding nothing. */
    private void forgetGoneConsumers() {
        for (String stream : streams) {
            Response consumers = call("XINFO", "CONSUMERS", stream, config.group());
            for (Response c : consumers) {
                String name = field(c, "name").toString();
                long pending = field(c, "pending").toLong();
                long idle = field(c, "idle").toLong();
                if (!name.equals(consumer) && pending == 0 && idle > config.forgetConsumersAfter().toMillis()) {
                    call("XGROUP", "DELCONSUMER", stream, config.group(), name);
                    Log.infof("Removed consumer '%s' from group '%s' on %s: idle for %d s and holding nothing",
                            name, config.group(), stream, idle / 1000);
                }
            }
        }
    }

    /** Reads lag, pending count, the oldest pending entry's age and any gap of a stream into {@link StreamLag}. */
    void inspect(String stream) {
        Response r = call("EVAL", INSPECT, "1", stream, config.group());
        long groupLag = r.get(0).toLong();
        long pending = r.get(2).toLong();
        Long oldestAge = null;
        String oldest = r.get(3).toString();
        if (pending > 0 && !oldest.isEmpty()) {
            long millis = Long.parseLong(oldest.substring(0, oldest.indexOf('-')));
            oldestAge = Math.max(0, System.currentTimeMillis() - millis);
        }
        long gap = r.get(4).toLong();
        if (gap > 0) {
            Log.errorf("%d entries of %s were trimmed before group '%s' read them: lost (monitors down or too slow for MAXLEN)",
                    gap, stream, config.group());
        }
        lag.observe(stream, r.get(1).toLong(), groupLag < 0 ? null : groupLag, pending, oldestAge, gap);
    }

    private static String script(String resource) {
        try (var in = StreamConsumer.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("missing " + resource, e);
        }
    }

    /** A field of an XINFO reply, flat key/value array (RESP2, and always inside Lua) or map (RESP3). */
    private static Response field(Response reply, String name) {
        if (reply.isMap()) {
            return reply.get(name);
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            if (name.equals(reply.get(i).toString())) {
                return reply.get(i + 1);
            }
        }
        return null;
    }

    private Response call(String command, String... args) {
        return redis.execute(command, args).await().atMost(CALL_TIMEOUT);
    }
}
