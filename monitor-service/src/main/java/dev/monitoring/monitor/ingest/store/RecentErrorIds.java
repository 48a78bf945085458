package dev.monitoring.monitor.ingest.store;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The error_ids this monitor committed most recently. An event from the shared publisher arrives twice, by pub/sub
 * and by its stream, usually milliseconds apart: the second copy is skipped here instead of costing an INSERT that
 * would conflict anyway. Only committed ids are remembered, so skipping never loses anything; an id that has
 * already left this window is still stored once, by the database's ON CONFLICT. Bounded in count and in characters,
 * since an id is producer text of any length. Used by the writer thread only.
 */
public final class RecentErrorIds {
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();
    private final int maxIds;
    private final long maxChars;
    private long chars;

    public RecentErrorIds(int maxIds, long maxChars) {
        this.maxIds = maxIds;
        this.maxChars = maxChars;
    }

    public boolean contains(String errorId) {
        return ids.contains(errorId);
    }

    /** Remembers the ids of a committed batch: stored ones and claimed below-threshold ones alike. */
    public void committed(Batch batch) {
        batch.errors.forEach(s -> remember(StoredText.id(s.event().errorId())));
        batch.filtered.forEach(f -> remember(f.errorId()));
    }

    public void remember(String id) {
        if (id == null || id.length() > maxChars || !ids.add(id)) {
            return;
        }
        chars += id.length();
        Iterator<String> eldest = ids.iterator();
        while (ids.size() > maxIds || chars > maxChars) {
            chars -= eldest.next().length();
            eldest.remove();
        }
    }

    int size() {
        return ids.size();
    }

    long chars() {
        return chars;
    }
}
