package dev.monitoring.monitor.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error_ids this monitor committed most recently. An event from the shared publisher arrives twice, by pub/sub
 * and by its stream, usually milliseconds apart: the second copy is skipped here instead of costing an INSERT that
 * would conflict anyway. Only committed ids are remembered, so skipping never loses anything; an id that has
 * already left this window is still stored once, by the database's ON CONFLICT. Used by the writer thread only.
 */
final class RecentErrorIds {
    private final Map<String, Boolean> ids;

    RecentErrorIds(int capacity) {
        this.ids = new LinkedHashMap<>(capacity * 4 / 3 + 1) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    boolean contains(String errorId) {
        return ids.containsKey(errorId);
    }

    /** Remembers the ids of a committed batch: stored ones and claimed below-threshold ones alike. */
    void committed(Batch batch) {
        batch.errors.forEach(s -> ids.put(BatchStore.clean(s.event().errorId()), Boolean.TRUE));
        batch.filtered.forEach(f -> ids.put(f.errorId(), Boolean.TRUE));
    }
}
