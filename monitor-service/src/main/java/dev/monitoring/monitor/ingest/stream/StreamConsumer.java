package dev.monitoring.monitor.ingest.stream;

import dev.monitoring.model.Channels;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.pubsub.Backoff;
import dev.monitoring.model.pubsub.ReconnectConfig;
import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.monitor.ingest.IngestBuffer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable path (nothing lost while a monitor is away): reads the {@code <channel>:stream} streams in the consumer group every monitor replica
 * joins, so each entry goes to one replica, and hands the entries to the {@link IngestBuffer} like pub/sub messages.
 * The ingest writer acknowledges them only after the PostgreSQL commit ({@link StreamAcks}).
 *
 * <p>Runs on its own thread, so it may block: it waits for room in the buffer rather than dropping (an entry is
 * only lost if it is trimmed unread, which {@link StreamLag} reports). Every {@code claim-every} it takes over
 * entries another consumer left pending longer than {@code claim-min-idle} (a crashed replica, or this one before a
 * restart), and moves those delivered more than {@code max-deliveries} times to the dead-letter table
 * ({@link StreamClaimer}); at every turn it looks at each stream's lag and gap ({@link StreamInspector}).
 */
@ApplicationScoped
public class StreamConsumer {

    private final ReactiveRedisDataSource redis;
    private final StreamConfig config;
    private final ReconnectConfig backoff;
    private final IngestBuffer buffer;
    private final StreamLag lag;
    private final StreamClaimer claimer;
    private final StreamInspector inspector;
    private final Heartbeats heartbeats;
    private Heartbeat heartbeat;
    private StreamReader reader;
    private final Map<String, String> channelOfStream = new HashMap<>();
    private final List<String> streams;
    private final String consumer;

    private volatile boolean running;
    private volatile boolean reading;
    private volatile String lastError;
    private Thread thread;
    private boolean groupsReady;
    private long nextClaimAt;

    public StreamConsumer(ReactiveRedisDataSource redis, ChannelsConfig channels, StreamConfig config, ReconnectConfig reconnect,
                          IngestBuffer buffer, StreamLag lag, StreamClaimer claimer, StreamInspector inspector,
                          Heartbeats heartbeats) {
        this.redis = redis;
        this.heartbeats = heartbeats;
        this.config = config;
        this.backoff = reconnect;
        this.buffer = buffer;
        this.lag = lag;
        this.claimer = claimer;
        this.inspector = inspector;
        for (String channel : List.of(channels.errors(), channels.executions())) {
            channelOfStream.put(Channels.stream(channel), channel);
        }
        this.streams = List.copyOf(channelOfStream.keySet());
        this.consumer = config.consumer().orElseGet(StreamConsumer::defaultConsumerName);
    }

    /** A consumer name of its own for a replica in a consumer group: its host and a random suffix (a restart is new). */
    public static String defaultConsumerName() {
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
        heartbeat = heartbeats.register("stream-consumer");
        reader = new StreamReader(redis, config, buffer, channelOfStream, streams, consumer, heartbeat, () -> running);
        start();
    }

    /**
     * Stops reading before the ingest writer flushes the buffer (a lower priority runs first), so a graceful
     * stop (a rolling update) stores and acknowledges everything it read instead of leaving it pending for another
     * replica to claim a minute later.
     */
    void onStop(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        stop();
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this::run, "monitor-stream-consumer");
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

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            heartbeat.died(t.toString());
            Log.errorf(t, "Stream consumer died: this monitor reads no stream entries until it is restarted");
            throw t;
        }
        if (running) {
            heartbeat.died("the stream consumer's loop ended");
        } else {
            heartbeat.idle();
        }
    }

    private void loop() {
        int failures = 0;
        while (running) {
            heartbeat.beat();
            try {
                if (!groupsReady) {
                    createGroups();
                }
                if (System.currentTimeMillis() >= nextClaimAt) {
                    nextClaimAt = System.currentTimeMillis() + config.claimEvery().toMillis();
                    claimer.claimAbandoned(streams, consumer, reader::hand, () -> running);
                }
                for (String stream : streams) {
                    inspector.inspect(stream);
                }
                // Redis answers and the group is there: ready, before the read that may block for a while
                if (!reading && failures > 0) {
                    Log.infof("Reading the event streams %s again as '%s' after %d failed attempt(s)", streams, consumer, failures);
                }
                reading = true;
                lastError = null;
                failures = 0;
                reader.readNew();
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
                    Log.warnf("Cannot read the event streams %s (%s); retrying with backoff", streams, LogText.safe(message));
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

    /** A pause of the loop's own choosing (a backoff) owes no progress until it is over. */
    private boolean sleep(long millis) {
        heartbeat.beat(java.time.Duration.ofMillis(millis));
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

    private Response call(String command, String... args) {
        return StreamReplies.call(redis, command, args);
    }
}
