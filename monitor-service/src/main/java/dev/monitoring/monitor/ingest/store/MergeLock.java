package dev.monitoring.monitor.ingest.store;

/**
 * The PostgreSQL advisory lock between ingest and merges: each batch holds it shared while it maps fingerprints to
 * the groups they were merged into and writes; a merge or unmerge holds it exclusively, so it waits for the batches in
 * flight, and every batch after it sees it.
 */
public final class MergeLock {
    /** The lock's key (any constant no other code of this database uses). */
    public static final long KEY = 1_900_019L;

    private MergeLock() {
    }
}
