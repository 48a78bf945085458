package dev.monitoring.system.services;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls an instance's liveness and readiness every {@value #EVERY_MILLIS} ms on its own thread and records every answer
 * that is not 200 (a timeout of {@link ServiceInstance#status} counts as -1), and samples its heap from /q/metrics about
 * once a second: heap in use, and the old generation's live data after the last major collection (what the
 * application actually holds; the in-use figure also counts garbage not collected yet).
 */
final class HealthWatch implements AutoCloseable {
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    private static final long EVERY_MILLIS = 200;
    private static final int METRICS_EVERY_N_POLLS = 5;

    /** One answer that was not 200, {@code atMillis} after the watch started. */
    record Failure(long atMillis, String path, int status, String body) {
        @Override
        public String toString() {
            return "+" + atMillis + " ms " + path + " -> " + status + (body.isEmpty() ? "" : " " + body);
        }
    }

    private final ServiceInstance instance;
    private final long startedAt = System.nanoTime();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile double peakHeapUsed;
    private volatile double peakLiveData;
    private volatile double heapMax;
    private volatile int heapSamples;

    private HealthWatch(ServiceInstance instance) {
        this.instance = instance;
        this.thread = new Thread(this::loop, "health-watch-" + instance.name());
        this.thread.setDaemon(true);
    }

    static HealthWatch start(ServiceInstance instance) {
        HealthWatch watch = new HealthWatch(instance);
        watch.thread.start();
        return watch;
    }

    private void loop() {
        while (!stopped) {
            long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EVERY_MILLIS);
            int poll = polls.incrementAndGet();
            check(LIVE);
            check(READY);
            if (poll % METRICS_EVERY_N_POLLS == 1) {
                sampleHeap();
            }
            long sleep = TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime());
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep); // a fixed polling period
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void check(String path) {
        int status = instance.status(path);
        if (status != 200) {
            failures.add(new Failure(elapsedMillis(), path, status, body(path)));
        }
    }

    private String body(String path) {
        try {
            String body = Http.get(instance.managementUrl() + path).body().replaceAll("\\s+", " ");
            return body.length() <= 600 ? body : body.substring(0, 600) + "...";
        } catch (AssertionError e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private void sampleHeap() {
        try {
            String metrics = Http.get(instance.managementUrl() + "/q/metrics").body();
            peakHeapUsed = Math.max(peakHeapUsed, Http.metric(metrics, "jvm_memory_used_bytes", "area=\"heap\""));
            peakLiveData = Math.max(peakLiveData, Http.metric(metrics, "jvm_gc_live_data_size_bytes", ""));
            heapMax = Math.max(heapMax, Http.metric(metrics, "jvm_gc_max_data_size_bytes", ""));
            heapSamples++;
        } catch (AssertionError | RuntimeException e) {
            // an unanswered scrape is already visible as a failed health poll
        }
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    }

    /** Stops polling; the figures below stay readable. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    int polls() {
        return polls.get();
    }

    long durationMillis() {
        return elapsedMillis();
    }

    double peakHeapUsedBytes() {
        return peakHeapUsed;
    }

    double peakLiveDataBytes() {
        return peakLiveData;
    }

    /** The old generation's maximum size as the monitor reports it, 0 when never sampled. */
    double oldGenMaxBytes() {
        return heapMax;
    }

    int heapSamples() {
        return heapSamples;
    }

    @Override
    public void close() {
        stop();
    }
}
