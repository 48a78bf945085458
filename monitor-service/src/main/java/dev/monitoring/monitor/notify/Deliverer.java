package dev.monitoring.monitor.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;
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
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETRY_SCAN_EVERY_MS = 500;

    private final ReactiveRedisDataSource redis;
    private final DeliveryConfig config;
    private final Receivers receivers;
    private final SilenceStore silences;
    private final DeliveryLog log;
    private final FailedDeliveries failures;
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

    public Deliverer(ReactiveRedisDataSource redis, DeliveryConfig config, Receivers receivers, SilenceStore silences,
                     DeliveryLog log, FailedDeliveries failures, Heartbeats heartbeats, MeterRegistry metrics) {
        this.redis = redis;
        this.config = config;
        this.receivers = receivers;
        this.silences = silences;
        this.log = log;
        this.failures = failures;
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
                ensureGroup();
                if (inFlight.size() < config.threads() * 2) {
                    readNew();
                } else {
                    Thread.sleep(50);
                }
                if (System.currentTimeMillis() >= nextRetryScan) {
                    nextRetryScan = System.currentTimeMillis() + RETRY_SCAN_EVERY_MS;
                    retryPending();
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
                groupReady = false;
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

    private void ensureGroup() {
        if (groupReady) {
            return;
        }
        try {
            // from the start of the ledger: entries written before any monitor read it are delivered too
            call("XGROUP", "CREATE", config.ledgerStream(), config.group(), "0", "MKSTREAM");
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    private void readNew() {
        Response response = redis.execute("XREADGROUP", "GROUP", config.group(), consumer, "COUNT",
                Integer.toString(config.threads()), "BLOCK", "200", "STREAMS", config.ledgerStream(), ">")
                .await().atMost(CALL_TIMEOUT);
        if (response == null) {
            return;
        }
        Response entries = response.isMap() ? response.get(config.ledgerStream()) : response.get(0).get(1);
        if (entries == null) {
            return;
        }
        for (Response entry : entries) {
            submit(entry.get(0).toString(), field(entry.get(1)), 1);
        }
    }

    /** Retries this consumer's failed entries once their backoff has passed, and takes over a dead consumer's. */
    private void retryPending() {
        long minIdle = config.retryInitial().toMillis();
        Response pending = call("XPENDING", config.ledgerStream(), config.group(), "IDLE", Long.toString(minIdle), "-", "+", "100");
        if (pending == null) {
            return;
        }
        for (Response p : pending) {
            String id = p.get(0).toString();
            if (inFlight.contains(id)) {
                continue;
            }
            String owner = p.get(1).toString();
            long idle = p.get(2).toLong();
            long deliveries = p.get(3).toLong();
            long need = backoff(deliveries).toMillis();
            if (!owner.equals(consumer)) {
                need = Math.max(need, config.claimMinIdle().toMillis());
            }
            if (idle < need) {
                continue;
            }
            // the claim succeeds for one consumer only: the min-idle is checked again by Redis, atomically
            Response claimed = call("XCLAIM", config.ledgerStream(), config.group(), consumer, Long.toString(need), id);
            if (claimed == null || claimed.size() == 0) {
                continue;
            }
            Response entry = claimed.get(0);
            if (entry == null || entry.get(1) == null) {
                // trimmed from the ledger while pending: nothing left to deliver
                call("XACK", config.ledgerStream(), config.group(), id);
                continue;
            }
            if (!owner.equals(consumer)) {
                Log.infof("Took over notification entry %s of consumer %s (idle %d ms)", id, LogText.safe(owner), idle);
            }
            submit(id, field(entry.get(1)), (int) deliveries + 1);
        }
    }

    Duration backoff(long deliveries) {
        long factor = 1L << Math.min(20, Math.max(0, deliveries - 1));
        Duration d = config.retryInitial().multipliedBy(factor);
        return d.compareTo(config.retryMax()) > 0 ? config.retryMax() : d;
    }

    private void submit(String entryId, String json, int attempt) {
        inFlight.add(entryId);
        try {
            workers.execute(() -> {
                try {
                    attempt(entryId, json, attempt);
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
        List<Map<String, Object>> told = new ArrayList<>();
        for (Map<String, Object> alert : entry.alerts()) {
            // the end of an alert that was silenced when it was raised is not news to anyone either
            boolean endOfSilenced = alert.get("resolved_at") != null && Boolean.TRUE.equals(alert.get("silenced"));
            if (!endOfSilenced && silences.silencing(labels(alert), now).isEmpty()) {
                told.add(alert);
            }
        }
        Notification all = entry.notification(entry.alerts());
        if (told.isEmpty()) {
            log.record(all, DeliveryLog.SILENCED, attempt - 1, null);
            count(entry.receiver(), DeliveryLog.SILENCED);
            ack(entryId);
            return;
        }
        Notification n = entry.notification(told);
        Optional<Receiver> receiver = receivers.named(entry.receiver());
        if (receiver.isEmpty()) {
            deadLetter(entryId, entry, n, attempt, "receiver '" + entry.receiver() + "' is not in NOTIFY_FILE any more");
            return;
        }
        DeliveryResult result = receiver.get().deliver(n);
        if (result.accepted()) {
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
        call("XADD", config.ledgerStream() + ":dead:" + entry.receiver(), "MAXLEN", "~", "10000", "*",
                "notification", entry.json(), "reason", reason == null ? "" : reason, "attempts", Integer.toString(attempt));
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
        call("XACK", config.ledgerStream(), config.group(), entryId);
    }

    private void count(String receiver, String status) {
        metrics.counter("monitor_notifications_total", "receiver", receiver, "status", status).increment();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Map<String, Object> alert) {
        Object labels = alert.get("labels");
        return labels instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of("rule", String.valueOf(alert.get("rule")),
                "severity", String.valueOf(alert.get("severity")));
    }

    private static String field(Response fields) {
        if (fields == null) {
            return null;
        }
        if (fields.isMap()) {
            Response v = fields.get("notification");
            return v == null ? null : v.toString();
        }
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if ("notification".equals(fields.get(i).toString())) {
                return fields.get(i + 1).toString();
            }
        }
        return null;
    }

    private Response call(String command, String... args) {
        return redis.execute(command, args).await().atMost(CALL_TIMEOUT);
    }

    /** One ledger entry, as notify-flush.lua (or {@link FailedDeliveries}) wrote it. */
    record LedgerEntry(String json, String id, String receiver, String groupKey, String status, boolean fallback,
                       List<Map<String, Object>> alerts) {
        static LedgerEntry parse(String json) {
            if (json == null) {
                return null;
            }
            try {
                Map<String, Object> m = JSON.readValue(json, new TypeReference<>() {
                });
                Object alerts = m.get("alerts");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> list = alerts instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
                return new LedgerEntry(json, String.valueOf(m.get("notification_id")), String.valueOf(m.get("receiver")),
                        String.valueOf(m.get("group_key")), String.valueOf(m.get("status")), Boolean.TRUE.equals(m.get("fallback")),
                        list);
            } catch (Exception e) {
                return null;
            }
        }

        Notification notification(List<Map<String, Object>> alerts) {
            return new Notification(id, receiver, status, groupKey, alerts, false);
        }
    }
}
