package dev.monitoring.monitor.notify;

import dev.monitoring.model.LogText;
import dev.monitoring.model.liveness.Heartbeat;
import dev.monitoring.model.liveness.Heartbeats;
import dev.monitoring.monitor.ingest.stream.StreamConsumer;
import dev.monitoring.monitor.notify.receivers.DeliveryResult;
import dev.monitoring.monitor.notify.receivers.Notification;
import dev.monitoring.monitor.notify.receivers.Receiver;
import dev.monitoring.monitor.notify.receivers.Receivers;
import dev.monitoring.monitor.silences.SilenceStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the ledger: reads its entries in the consumer group {@code notifier} (shared by every replica), sends each
 * to its receiver, and acknowledges it only once the receiver accepted it (or it was silenced, or dead-lettered).
 * A failed entry stays pending and is retried after a capped exponential backoff, by the consumer that holds it; a
 * dead replica's entries are taken over after {@code claim-min-idle}. So a notification survives a receiver outage and
 * a {@code kill -9} of the monitor delivering it; a receiver may get it twice (the idempotency key says so), never zero
 * times. After {@code max-attempts} it goes to its receiver's dead letters and {@code notification_failed} is raised.
 */
@ApplicationScoped
public class Deliverer {
    private static final long RETRY_SCAN_EVERY_MS = 500;

    private final Ledger ledger;
    private final DeliveryConfig config;
    private final Receivers receivers;
    private final SilenceStore silences;
    private final DeliveryLog log;
    private final FailedDeliveries failures;
    private final ToldAlerts toldAlerts;
    private final Heartbeats heartbeats;
    private final MeterRegistry metrics;
    private final String consumer = StreamConsumer.defaultConsumerName();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private ExecutorService workers;
    private Heartbeat heartbeat;
    private Thread thread;
    private volatile boolean running;
    private volatile String lastError;
    private boolean groupReady;
    private long nextRetryScan;

    public Deliverer(Ledger ledger, DeliveryConfig config, Receivers receivers, SilenceStore silences,
                     DeliveryLog log, FailedDeliveries failures, ToldAlerts toldAlerts, Heartbeats heartbeats,
                     MeterRegistry metrics) {
        this.ledger = ledger;
        this.config = config;
        this.receivers = receivers;
        this.silences = silences;
        this.log = log;
        this.failures = failures;
        this.toldAlerts = toldAlerts;
        this.heartbeats = heartbeats;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        heartbeat = heartbeats.register("notifier");
        // built now rather than on the first delivery, which would otherwise wait for them (about half a second)
        receivers.all();
        silences.refreshQuietly();
        workers = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "monitor-notify-delivery");
            t.setDaemon(true);
            return t;
        });
        running = true;
        thread = new Thread(this::run, "monitor-notifier");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(3000);
        }
        if (workers != null) {
            workers.shutdown();
            // deliveries in flight finish (each bounded by its receiver's timeout); what does not stays pending
            workers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    public String consumer() {
        return consumer;
    }

    /** Null while the ledger is read, else why not. */
    public String lastError() {
        return lastError;
    }

    private void run() {
        while (running) {
            heartbeat.beat();
            try {
                ledger.ensureGroup();
                if (inFlight.size() < config.threads() * 2) {
                    ledger.readNew(consumer, config.threads()).forEach(this::submit);
                } else {
                    Thread.sleep(50);
                }
                if (System.currentTimeMillis() >= nextRetryScan) {
                    nextRetryScan = System.currentTimeMillis() + RETRY_SCAN_EVERY_MS;
                    ledger.claimDue(consumer, inFlight, this::backoff).forEach(this::submit);
                }
                if (lastError != null) {
                    Log.infof("Notification ledger %s is read again", config.ledgerStream());
                }
                lastError = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (lastError == null) {
                    Log.errorf("Notification ledger %s cannot be read (Redis away?), retrying: %s", config.ledgerStream(), e.getMessage());
                }
                lastError = String.valueOf(e.getMessage());
                ledger.lost();
                try {
                    heartbeat.beat(Duration.ofSeconds(2));
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    Duration backoff(long deliveries) {
        long factor = 1L << Math.min(20, Math.max(0, deliveries - 1));
        Duration d = config.retryInitial().multipliedBy(factor);
        return d.compareTo(config.retryMax()) > 0 ? config.retryMax() : d;
    }

    private void submit(Ledger.Pending p) {
        String entryId = p.id();
        inFlight.add(entryId);
        try {
            workers.execute(() -> {
                try {
                    attempt(entryId, p.json(), p.attempt());
                } catch (RuntimeException e) {
                    // left pending: retried after its backoff like any failure
                    Log.errorf("Notification entry %s failed unexpectedly: %s", entryId, e.toString());
                } finally {
                    inFlight.remove(entryId);
                }
            });
        } catch (RuntimeException e) {
            inFlight.remove(entryId);
            throw e;
        }
    }

    private void attempt(String entryId, String json, int attempt) {
        LedgerEntry entry = LedgerEntry.parse(json);
        if (entry == null) {
            Log.errorf("Notification entry %s is not a notification, dropped: %s", entryId, LogText.safe(String.valueOf(json)));
            ack(entryId);
            return;
        }
        Instant now = Instant.now();
        List<Map<String, Object>> tell = new ArrayList<>();
        for (Map<String, Object> alert : entry.alerts()) {
            boolean ended = alert.get("resolved_at") != null;
            // the end of an alert that was silenced when it was raised is not news to anyone either
            boolean news = !(ended && Boolean.TRUE.equals(alert.get("silenced")))
                    && silences.silencing(LedgerEntry.labels(alert), now).isEmpty();
            // but a receiver told that it fires hears its end, whatever was silenced since
            if (news || ended && toldAlerts.told(entry.receiver(), alert.get("alert_id"))) {
                tell.add(alert);
            }
        }
        Notification all = entry.notification(entry.alerts());
        if (tell.isEmpty()) {
            log.record(all, DeliveryLog.SILENCED, attempt - 1, null);
            count(entry.receiver(), DeliveryLog.SILENCED);
            ack(entryId);
            return;
        }
        Notification n = entry.notification(tell);
        Optional<Receiver> receiver = receivers.named(entry.receiver());
        if (receiver.isEmpty()) {
            deadLetter(entryId, entry, n, attempt, "receiver '" + entry.receiver() + "' is not in NOTIFY_FILE any more");
            return;
        }
        DeliveryResult result = receiver.get().deliver(n);
        if (result.accepted()) {
            toldAlerts.accepted(entry.receiver(), n);
            ack(entryId);
            log.record(n, DeliveryLog.SENT, attempt, null);
            count(entry.receiver(), DeliveryLog.SENT);
            failures.recovered(entry.receiver());
        } else if (attempt >= config.maxAttempts()) {
            deadLetter(entryId, entry, n, attempt, result.detail());
        } else {
            log.record(n, DeliveryLog.RETRYING, attempt, result.detail());
            count(entry.receiver(), DeliveryLog.RETRYING);
            Log.warnf("Notification %s to %s failed (attempt %d of %d, next in %s): %s", n.id(), LogText.safe(entry.receiver()),
                    attempt, config.maxAttempts(), backoff(attempt), LogText.safe(result.detail()));
        }
    }

    private void deadLetter(String entryId, LedgerEntry entry, Notification n, int attempt, String reason) {
        ledger.deadLetter(entry.receiver(), entry.json(), reason, attempt);
        ack(entryId);
        log.record(n, DeliveryLog.FAILED, attempt, reason);
        count(entry.receiver(), DeliveryLog.FAILED);
        Log.errorf("Notification %s to %s failed %d times, moved to its dead letters: %s", n.id(), LogText.safe(entry.receiver()),
                attempt, LogText.safe(reason));
        if (!entry.fallback()) {
            failures.failed(entry.receiver(), attempt, reason);
        }
    }

    private void ack(String entryId) {
        ledger.ack(entryId);
    }

    private void count(String receiver, String status) {
        metrics.counter("monitor_notifications_total", "receiver", receiver, "status", status).increment();
    }

}
