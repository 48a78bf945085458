package dev.monitoring.monitor.ingest;

import dev.monitoring.model.Channels;
import dev.monitoring.model.ChannelsConfig;
import dev.monitoring.model.ErrorEvent;
import dev.monitoring.model.EventCodec;
import dev.monitoring.model.InvalidEventException;
import dev.monitoring.monitor.errors.ErrorFingerprint;
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
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOGGED_PAYLOAD_CHARS = 200;
    private static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(10);

    private final IngestBuffer buffer;
    private final BatchStore store;
    private final EventCodec codec;
    private final IngestMetrics metrics;
    private final IngestConfig config;
    private final String errorsChannel;
    private final String executionsChannel;
    private final StreamAcks acks;
    private final RecentErrorIds recent = new RecentErrorIds(100_000);

    private volatile boolean running;
    /** True while a batch waits for PostgreSQL to come back. */
    private volatile boolean holding;
    /** When the batch being written was taken from the buffer; 0 while idle. */
    private volatile long writingSince;
    private Thread thread;

    public IngestWriter(IngestBuffer buffer, BatchStore store, EventCodec codec, IngestMetrics metrics,
                        IngestConfig config, ChannelsConfig channels, StreamAcks acks) {
        this.acks = acks;
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
        thread = new Thread(this::drainLoop, "monitor-ingest-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Lets the writer flush what is already buffered (bounded wait), then stops it; after the stream consumer stopped. */
    void onStop(@Observes @Priority(10) ShutdownEvent event) throws InterruptedException {
        running = false;
        thread.join(SHUTDOWN_FLUSH.toMillis());
        if (thread.isAlive()) {
            Log.warnf("Stopping with %d events still buffered", buffer.size());
            thread.interrupt();
        }
    }

    private void drainLoop() {
        List<ReceivedMessage> messages = new ArrayList<>(config.batchSize());
        while (running || buffer.size() > 0) {
            try {
                messages.clear();
                buffer.drainTo(messages, config.batchSize(), 200);
                if (!messages.isEmpty()) {
                    writingSince = System.currentTimeMillis();
                    try {
                        Batch batch = decode(messages);
                        writeUntilStored(batch);
                        recent.committed(batch);
                        acks.ackStored(messages);
                    } finally {
                        writingSince = 0;
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

    /**
     * True when everything this replica holds is younger than {@code age}: PostgreSQL takes writes, the batch being
     * written and the oldest buffered message are recent. Only then may it claim entries idle for longer than that,
     * or it would claim (and count as another delivery) entries it is still working on itself.
     */
    public boolean keepingUp(Duration age) {
        long limit = System.currentTimeMillis() - age.toMillis();
        long since = writingSince;
        var oldest = buffer.oldestReceivedAt();
        return !holding && (since == 0 || since > limit) && (oldest == null || oldest.toEpochMilli() > limit);
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
                    String id = BatchStore.clean(event.errorId());
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
            batch.errors.add(new Batch.StoredError(event, ErrorFingerprint.of(event), m));
        } else {
            metrics.filteredOut.increment();
            batch.filtered.add(new Batch.Filtered(BatchStore.clean(event.errorId()),
                    BatchStore.countKey(event.severity().wireName(), event.category().wireName(), m.receivedAt())));
        }
    }

    private void reject(Batch batch, ReceivedMessage m, String reason) {
        metrics.rejected.increment();
        String payload = m.payload() == null ? "" : m.payload();
        Log.warnf("Rejected message on '%s': %s; payload starts: %s", m.channel(), reason,
                payload.length() <= LOGGED_PAYLOAD_CHARS ? payload : payload.substring(0, LOGGED_PAYLOAD_CHARS));
        batch.rejections.add(new Batch.Rejection(m.channel(), reason, payload, m.receivedAt()));
    }

    private void writeUntilStored(Batch batch) throws InterruptedException {
        boolean warned = false;
        while (true) {
            try {
                int inserted = store.write(batch).await().atMost(WRITE_TIMEOUT);
                metrics.persisted.increment(inserted);
                holding = false;
                if (warned) {
                    Log.infof("PostgreSQL reachable again: held batch of %d written, %d in buffer", batch.size(), buffer.size());
                }
                return;
            } catch (RuntimeException e) {
                if (isRejectedByDatabase(e)) {
                    writeOneByOne(batch);
                    return;
                }
                holding = true;
                if (!warned) {
                    warned = true;
                    Log.warnf("PostgreSQL unavailable (%s): holding a batch of %d events and the buffer (%d) until it is back",
                            e.getMessage(), batch.size(), buffer.size());
                }
                Thread.sleep(config.dbRetryDelay().toMillis());
                if (!running) {
                    throw new InterruptedException("stopping");
                }
            }
        }
    }

    /** A statement failed on the data itself: isolate the culprit so the rest of the batch is still stored. */
    private void writeOneByOne(Batch batch) throws InterruptedException {
        Log.warnf("Batch refused by PostgreSQL; retrying its %d items one by one", batch.size());
        List<Batch> singles = new ArrayList<>();
        for (Batch.StoredError s : batch.errors) {
            Batch b = new Batch();
            b.errors.add(s);
            singles.add(b);
        }
        for (Batch.Execution x : batch.executions) {
            Batch b = new Batch();
            b.executions.add(x);
            singles.add(b);
        }
        Batch rest = new Batch();
        rest.rejections.addAll(batch.rejections);
        rest.filtered.addAll(batch.filtered);
        singles.add(rest);
        for (Batch single : singles) {
            try {
                metrics.persisted.increment(store.write(single).await().atMost(WRITE_TIMEOUT));
            } catch (RuntimeException e) {
                if (!isRejectedByDatabase(e)) {
                    writeUntilStored(single);
                    continue;
                }
                ReceivedMessage raw = !single.errors.isEmpty() ? single.errors.get(0).raw()
                        : !single.executions.isEmpty() ? single.executions.get(0).raw() : null;
                if (raw != null) {
                    Batch rejected = new Batch();
                    reject(rejected, raw, "not storable: " + e.getMessage());
                    writeUntilStored(rejected);
                } else {
                    Log.errorf("Dropping %d rejected-event rows PostgreSQL refused: %s", single.rejections.size(), e.getMessage());
                }
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
