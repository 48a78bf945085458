package dev.monitoring.monitor.ingest;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;

/**
 * What the ingest writer is doing, for the stream consumer's claims: the writer reports, the claimer asks whether
 * this replica keeps up before it takes over entries another consumer left idle.
 */
@Singleton
public class WriterProgress {
    private final IngestBuffer buffer;
    /** True while a batch waits for PostgreSQL to come back. */
    private volatile boolean holding;
    /** When the batch being written was taken from the buffer; 0 while idle. */
    private volatile long writingSince;

    public WriterProgress(IngestBuffer buffer) {
        this.buffer = buffer;
    }

    public void writing() {
        writingSince = System.currentTimeMillis();
    }

    public void written() {
        writingSince = 0;
    }

    public void holding(boolean holding) {
        this.holding = holding;
    }

    /**
     * True when everything this replica holds is younger than {@code age}: PostgreSQL takes writes, the batch being
     * written and the oldest buffered message are recent. Only then may it claim entries idle for longer than that,
     * or it would claim (and count as another delivery) entries it is still working on itself.
     */
    public boolean keepingUp(Duration age) {
        long limit = System.currentTimeMillis() - age.toMillis();
        long since = writingSince;
        Instant oldest = buffer.oldestReceivedAt();
        return !holding && (since == 0 || since > limit) && (oldest == null || oldest.toEpochMilli() > limit);
    }
}
