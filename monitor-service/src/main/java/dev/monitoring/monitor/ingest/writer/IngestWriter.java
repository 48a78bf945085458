package dev.monitoring.monitor.ingest.writer;

import dev.monitoring.model.Channels;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.InvalidEventException;
import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.monitor.errors.GroupingRules;
import dev.monitoring.monitor.ingest.IngestBuffer;
import dev.monitoring.monitor.ingest.IngestConfig;
import dev.monitoring.monitor.ingest.IngestMetrics;
import dev.monitoring.monitor.ingest.ReceivedErrorLog;
import dev.monitoring.monitor.ingest.ReceivedMessage;
import dev.monitoring.monitor.ingest.WriterProgress;
import dev.monitoring.monitor.checks.CheckSignals;
import dev.monitoring.monitor.ingest.store.Batch;
import dev.monitoring.monitor.ingest.store.BatchStore;
import dev.monitoring.monitor.ingest.store.RecentErrorIds;
import dev.monitoring.monitor.ingest.store.StoredText;
import dev.monitoring.monitor.ingest.stream.StreamAcks;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.pgclient.PgException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drains the {@link IngestBuffer} on its own thread (never the Redis I/O thread), decodes each
 * message with the shared codec and writes the batch in one transaction. While PostgreSQL is
 * unreachable the batch is retried and new messages wait in the bounded buffer.
 */
@ApplicationScoped
public class IngestWriter {
    /** Below the liveness stall bound (30 s by default), so a slow but answering database never looks like a stuck writer. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOGGED_PAYLOAD_CHARS = 200;
    private static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(10);

    private final CheckSignals checks;
    private final IngestBuffer buffer;
    private final BatchStore store;
    private final EventCodec codec;
    private final IngestMetrics metrics;
    private final IngestConfig config;
    private final String errorsChannel;
    private final String executionsChannel;
    private final StreamAcks acks;
    private final RecentErrorIds recent;
    private final GroupingRules grouping;
    private final Heartbeats heartbeats;
    private Heartbeat heartbeat;

    private final WriterProgress progress;
    private volatile boolean running;
    private Thread thread;

    public IngestWriter(IngestBuffer buffer, BatchStore store, EventCodec codec, IngestMetrics metrics,
                        IngestConfig config, ChannelsConfig channels, StreamAcks acks, WriterProgress progress,
                        Heartbeats heartbeats, GroupingRules grouping, CheckSignals checks) {
        this.grouping = grouping;
        this.checks = checks;
        this.acks = acks;
        this.progress = progress;
        this.heartbeats = heartbeats;
        this.recent = new RecentErrorIds(config.recentIds(), config.recentIdsMaxChars());
        this.buffer = buffer;
        this.store = store;
        this.codec = codec;
        this.metrics = metrics;
        this.config = config;
        this.errorsChannel = channels.errors();
        this.executionsChannel = channels.executions();
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        heartbeat = heartbeats.register("ingest-writer");
        thread = new Thread(this::run, "monitor-ingest-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Lets the writer flush what is already buffered (bounded wait), then stops it; after the stream consumer stopped. */
    void onStop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread == null) {
            return; // start-up was refused before the writer started
        }
        thread.join(SHUTDOWN_FLUSH.toMillis());
        if (thread.isAlive()) {
            Log.warnf("Stopping with %d events still buffered", buffer.size());
            thread.interrupt();
        }
    }

    /** A throwable that ends the thread (an Error: StackOverflowError, OutOfMemoryError) turns liveness DOWN at once. */
    private void run() {
        try {
            drainLoop();
        } catch (Throwable t) {
            heartbeat.died(t.toString());
            Log.errorf(t, "Ingest writer died: nothing more is stored by this monitor until it is restarted");
            throw t;
        }
    }

    private void drainLoop() {
        List<ReceivedMessage> messages = new ArrayList<>(config.batchSize());
        while (running || buffer.size() > 0) {
            heartbeat.beat();
            try {
                messages.clear();
                buffer.drainTo(messages, config.batchSize(), 200);
                if (!messages.isEmpty()) {
                    progress.writing();
                    try {
                        Batch batch = decode(messages);
                        writeUntilStored(batch);
                        recent.committed(batch);
                        checks.executionsStored(batch.executions.stream().map(Batch.Execution::event).toList());
                        acks.ackStored(messages);
                    } finally {
                        progress.written();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // stream entries among them stay pending and are claimed again; pub/sub ones are gone
                Log.errorf(e, "Ingest writer: unexpected failure, %d messages not stored", messages.size());
            }
        }
    }

    Batch decode(List<ReceivedMessage> messages) {
        Batch batch = new Batch();
        java.util.Set<String> inBatch = new java.util.HashSet<>();
        for (ReceivedMessage m : messages) {
            try {
                if (m.payload() == null) {
                    reject(batch, m, "stream entry " + m.entry().id() + " has no '" + Channels.STREAM_FIELD + "' field");
                } else if (m.channel().equals(errorsChannel)) {
                    ErrorEvent event = codec.decodeError(m.payload());
                    String id = StoredText.id(event.errorId());
                    if (recent.contains(id) || !inBatch.add(id)) {
                        metrics.duplicates.increment(); // the other path's copy, already stored or in this batch
                    } else {
                        accept(batch, event, m);
                    }
                } else if (m.channel().equals(executionsChannel)) {
                    batch.executions.add(new Batch.Execution(codec.decodeExecution(m.payload()), m));
                } else {
                    reject(batch, m, "message on unexpected channel '" + m.channel() + "'");
                }
            } catch (InvalidEventException e) {
                reject(batch, m, e.reason());
            }
        }
        return batch;
    }

    private void accept(Batch batch, ErrorEvent event, ReceivedMessage m) {
        ReceivedErrorLog.log(event);
        if (event.severity().atLeast(config.minSeverity())) {
            batch.errors.add(new Batch.StoredError(event, grouping.fingerprint(event), m));
        } else {
            metrics.filteredOut.increment();
            batch.filtered.add(new Batch.Filtered(StoredText.id(event.errorId()),
                    Batch.CountKey.of(event.severity().wireName(), event.category().wireName(), m.receivedAt())));
        }
    }

    private void reject(Batch batch, ReceivedMessage m, String reason) {
        metrics.rejected.increment();
        String payload = m.payload() == null ? "" : m.payload();
        Log.warnf("Rejected message on '%s': %s; payload starts: %s", LogText.safe(m.channel()), LogText.safe(reason),
                LogText.safe(payload, LOGGED_PAYLOAD_CHARS));
        batch.rejections.add(new Batch.Rejection(m.channel(), reason, payload, m.receivedAt()));
    }

    private void writeUntilStored(Batch batch) throws InterruptedException {
        boolean warned = false;
        while (true) {
            try {
                int inserted = store.write(batch).await().atMost(WRITE_TIMEOUT);
                metrics.persisted.increment(inserted);
                progress.holding(false);
                if (warned) {
                    Log.infof("PostgreSQL reachable again: held batch of %d written, %d in buffer", batch.size(), buffer.size());
                }
                return;
            } catch (RuntimeException e) {
                if (isRejectedByDatabase(e)) {
                    writeOneByOne(batch);
                    return;
                }
                progress.holding(true);
                heartbeat.beat(); // waiting for PostgreSQL is readiness' business, not a stuck writer
                if (!warned) {
                    warned = true;
                    Log.warnf("PostgreSQL unavailable (%s): holding a batch of %d events and the buffer (%d) until it is back",
                            LogText.safe(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
                            batch.size(), buffer.size());
                }
                Thread.sleep(config.dbRetryDelay().toMillis());
                if (!running) {
                    throw new InterruptedException("stopping");
                }
            }
        }
    }

    /**
     * A statement failed on the data itself: the batch is halved until each refused item is alone, so the rest is
     * still stored and a few bad rows among a thousand cost a few dozen transactions, not a thousand.
     */
    private void writeOneByOne(Batch batch) throws InterruptedException {
        Log.warnf("Batch refused by PostgreSQL; isolating the refused items among its %d", batch.size());
        List<Batch> items = new ArrayList<>();
        for (Batch.StoredError s : batch.errors) {
            Batch b = new Batch();
            b.errors.add(s);
            items.add(b);
        }
        for (Batch.Execution x : batch.executions) {
            Batch b = new Batch();
            b.executions.add(x);
            items.add(b);
        }
        Batch rest = new Batch();
        rest.rejections.addAll(batch.rejections);
        rest.filtered.addAll(batch.filtered);
        items.add(rest);
        isolate(items);
    }

    private void isolate(List<Batch> items) throws InterruptedException {
        if (items.size() == 1) {
            writeAlone(items.get(0));
            return;
        }
        int half = items.size() / 2;
        for (List<Batch> part : List.of(items.subList(0, half), items.subList(half, items.size()))) {
            Batch merged = Batch.merge(part);
            try {
                metrics.persisted.increment(store.write(merged).await().atMost(WRITE_TIMEOUT));
            } catch (RuntimeException e) {
                if (isRejectedByDatabase(e)) {
                    isolate(part);
                } else {
                    writeUntilStored(merged);
                }
            }
            heartbeat.beat();
        }
    }

    /** One item PostgreSQL may refuse: an error or execution goes to rejected_events with the reason. */
    private void writeAlone(Batch single) throws InterruptedException {
        try {
            metrics.persisted.increment(store.write(single).await().atMost(WRITE_TIMEOUT));
        } catch (RuntimeException e) {
            if (!isRejectedByDatabase(e)) {
                writeUntilStored(single);
                return;
            }
            ReceivedMessage raw = !single.errors.isEmpty() ? single.errors.get(0).raw()
                    : !single.executions.isEmpty() ? single.executions.get(0).raw() : null;
            if (raw != null) {
                Batch rejected = new Batch();
                reject(rejected, raw, "not storable: " + e.getMessage());
                writeUntilStored(rejected);
            } else {
                Log.errorf("Dropping %d rejected-event rows PostgreSQL refused: %s", single.rejections.size(), LogText.safe(e.getMessage()));
            }
        }
    }

    /** Server-side errors about the data; connection, shutdown and resource errors are worth a retry. */
    private static boolean isRejectedByDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return !(state.startsWith("08") || state.startsWith("57") || state.startsWith("53")
                        || state.startsWith("40") || state.startsWith("3D"));
            }
        }
        return false;
    }
}
