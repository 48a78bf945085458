package dev.monitoring.gateway.live;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * What one client holds: broadcasts waiting for its rate window (identical errors folded into one frame), replies to
 * its own messages (sent first), and the bytes of the frames in flight, all within a frame count and a byte bound
 * (see {@link #sizeOf}). What had to go is counted and later announced in one {@code dropped} frame.
 *
 * <p>Not thread-safe: every call is made under the {@link ClientSession}'s lock.
 */
final class SessionQueue {
    /** Heap a queued frame takes besides its characters: the string, queue entry and wrapper objects. */
    static final int ENTRY_OVERHEAD = 96;
    private final int capacity;
    private final long maxBytes;
    private final LiveMetrics metrics;
    private final LinkedHashMap<Object, Waiting> waiting = new LinkedHashMap<>();
    private final ArrayDeque<Reply> replies = new ArrayDeque<>();
    private Reply waitingFilterOk;
    private long toAnnounce;
    private long uniqueKeys;
    private long waitingBytes;
    private long replyBytes;
    private long inFlightBytes;
    private long peakBytes;
    private long repliesFolded;
    private long repliesDropped;
    private long framesDropped;

    SessionQueue(int capacity, long maxBytes, LiveMetrics metrics) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    /** What a frame of this many characters is counted for: two bytes a character (a string's worst case) and the overhead. */
    static long sizeOf(int chars) {
        return ENTRY_OVERHEAD + 2L * chars;
    }

    /** Adds a reply, making room by dropping the oldest waiting broadcasts; a reply that still does not fit is dropped. */
    void reply(String text, boolean filterOk) {
        long size = sizeOf(text.length());
        while (!waiting.isEmpty() && bytes() + size > maxBytes) {
            dropOldestBroadcast();
        }
        if (bytes() + size > maxBytes) {
            repliesDropped++;
            dropped(1);
            return;
        }
        Reply reply = new Reply(text);
        replies.add(reply);
        replyBytes += size;
        if (filterOk) {
            waitingFilterOk = reply;
        }
        notePeak();
    }

    /**
     * Replaces the text of a {@code filter_ok} still waiting, since it describes a filter no longer in effect; false
     * when none waits.
     */
    boolean replaceFilterOk(String text) {
        if (waitingFilterOk == null) {
            return false;
        }
        replyBytes += sizeOf(text.length()) - sizeOf(waitingFilterOk.text.length());
        waitingFilterOk.text = text;
        repliesFolded++;
        metrics.repliesFolded().increment();
        // A longer filter can push the queue over its bound: the broadcasts make way, never the filter.
        evictBroadcastsBeyondBounds();
        notePeak();
        return true;
    }

    /** Queues a broadcast, folding it into a waiting identical one; true when it added a frame to send. */
    boolean offer(LiveFrame frame) {
        Object key = frame.foldKey() != null ? frame.foldKey() : Long.valueOf(uniqueKeys++);
        Waiting same = waiting.get(key);
        if (same != null) {
            waitingBytes -= same.size;
            same.fold(frame);
            waitingBytes += same.size;
            metrics.folded().increment();
            evictBroadcastsBeyondBounds();
            notePeak();
            return false;
        }
        Waiting added = new Waiting(frame);
        waiting.put(key, added);
        waitingBytes += added.size;
        evictBroadcastsBeyondBounds();
        notePeak();
        return true;
    }

    /** The next reply, taken off the queue; null when none waits. Replies do not wait for the rate window. */
    String nextReply() {
        Reply reply = replies.poll();
        if (reply == null) {
            return null;
        }
        replyBytes -= sizeOf(reply.text.length());
        if (reply == waitingFilterOk) {
            waitingFilterOk = null;
        }
        return reply.text;
    }

    /** Whether a broadcast (or a {@code dropped} notice) waits for the rate window. */
    boolean hasBroadcast() {
        return !waiting.isEmpty() || toAnnounce > 0;
    }

    /** The next broadcast, taken off the queue: the {@code dropped} notice first when frames were lost. */
    String nextBroadcast() {
        if (toAnnounce > 0) {
            String text = "{\"type\":\"dropped\",\"count\":" + toAnnounce + "}";
            toAnnounce = 0;
            return text;
        }
        Iterator<Waiting> first = waiting.values().iterator();
        Waiting head = first.next();
        first.remove();
        waitingBytes -= head.size;
        return head.text();
    }

    /** A frame handed to the socket: its bytes are held until it is written. */
    void inFlight(String text) {
        inFlightBytes += sizeOf(text.length());
        notePeak();
    }

    void written(long size) {
        inFlightBytes -= size;
    }

    void clear() {
        waiting.clear();
        replies.clear();
        waitingFilterOk = null;
        waitingBytes = 0;
        replyBytes = 0;
    }

    int waitingFrames() {
        return waiting.size();
    }

    int waitingReplies() {
        return replies.size();
    }

    long bytes() {
        return waitingBytes + replyBytes + inFlightBytes;
    }

    long peakBytes() {
        return peakBytes;
    }

    long repliesFolded() {
        return repliesFolded;
    }

    long repliesDropped() {
        return repliesDropped;
    }

    long framesDropped() {
        return framesDropped;
    }

    /** Drops the oldest waiting broadcasts while the queue is over its frame count or byte bound. */
    private void evictBroadcastsBeyondBounds() {
        while (!waiting.isEmpty() && (waiting.size() > capacity || bytes() > maxBytes)) {
            dropOldestBroadcast();
        }
    }

    private void dropOldestBroadcast() {
        Iterator<Waiting> oldest = waiting.values().iterator();
        waitingBytes -= oldest.next().size;
        oldest.remove();
        dropped(1);
    }

    private void dropped(int frames) {
        toAnnounce += frames;
        framesDropped += frames;
        metrics.dropped().increment(frames);
    }

    private void notePeak() {
        long now = bytes();
        if (now > peakBytes) {
            peakBytes = now;
        }
    }

    /** A reply waiting to be sent; a waiting {@code filter_ok} has its text replaced by the newer one. */
    private static final class Reply {
        private String text;

        Reply(String text) {
            this.text = text;
        }
    }

    /** A frame in the queue, with how many identical ones it stands for. */
    private static final class Waiting {
        private LiveFrame frame;
        private int count = 1;
        private long size;

        Waiting(LiveFrame frame) {
            this.frame = frame;
            this.size = sizeOf(frame.renderedLength());
        }

        void fold(LiveFrame newer) {
            // The newest error's id and timestamp are shown: the count says how many came before.
            frame = newer;
            count++;
            size = sizeOf(newer.renderedLength());
        }

        String text() {
            return frame.render(count);
        }
    }
}
