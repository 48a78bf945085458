package dev.monitoring.gateway.live;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Function;

/**
 * One WebSocket client's outgoing side: its filter, a sliding one-second window that caps its
 * frames per second, and a bounded queue of frames waiting for the window or for the previous
 * frame to be written.
 *
 * <p>At most {@link #MAX_IN_FLIGHT} frames are handed to the socket and not yet written; more
 * leave only as the socket takes them, so a client that does not read only fills its own bounded
 * queue and never holds up a thread or another client. While frames wait, identical errors fold into the waiting frame (its count
 * grows); when the queue is full the oldest frame goes and the client is later told how many.
 *
 * <p>The queue is bounded in bytes as well as in frames: waiting broadcasts, replies to the client's own messages and
 * frames in flight together stay within {@code maxBytes} (see {@link #sizeOf}; only the small {@code dropped} notice,
 * or a longer {@code filter_ok} replacing a waiting one, can pass it by that one frame), so that one client, whatever
 * it sends and however little it reads, holds a fixed amount of the heap. Replies are what a client provokes itself: a newer
 * {@code filter_ok} replaces a waiting one (only the filter in effect matters), and a reply that finds no room even
 * after the waiting broadcasts made way for it is dropped; both are counted, and drops are announced in the next
 * {@code dropped} frame like any other.
 *
 * <p>Short critical sections under the session's own lock: callers are the Redis I/O thread, the
 * connection's event loop and timers.
 */
public class ClientSession {
    /** Frames handed to the socket and not yet written; beyond it frames wait (and fold) in the queue. */
    static final int MAX_IN_FLIGHT = 16;
    /** The byte bound of a session built without one: the default of {@code gateway.live.queue-bytes}. */
    static final long DEFAULT_MAX_BYTES = 1024 * 1024;
    /** Heap a queued frame takes besides its characters: the string, queue entry and wrapper objects. */
    static final int ENTRY_OVERHEAD = 96;

    private final String id;
    private final LiveMetrics metrics;
    private final Function<String, Uni<Void>> sender;
    private final Vertx vertx;
    private final int capacity;
    private final long maxBytes;
    private final long[] sentAt;
    private int next;
    private final LinkedHashMap<Object, Waiting> waiting = new LinkedHashMap<>();
    private final ArrayDeque<Reply> replies = new ArrayDeque<>();
    private Reply waitingFilterOk;
    private volatile ClientFilter filter = ClientFilter.ALL;
    private long dropped;
    private long uniqueKeys;
    private int inFlight;
    private long waitingBytes;
    private long replyBytes;
    private long inFlightBytes;
    private long peakBytes;
    private long repliesFolded;
    private long repliesDropped;
    private long framesDropped;
    private boolean timerSet;
    private boolean closed;

    public ClientSession(String id, Function<String, Uni<Void>> sender, Vertx vertx, int framesPerSecond, int capacity) {
        this(id, sender, vertx, framesPerSecond, capacity, LiveMetrics.unregistered());
    }

    public ClientSession(String id, Function<String, Uni<Void>> sender, Vertx vertx, int framesPerSecond, int capacity,
            LiveMetrics metrics) {
        this(id, sender, vertx, framesPerSecond, capacity, DEFAULT_MAX_BYTES, metrics);
    }

    public ClientSession(String id, Function<String, Uni<Void>> sender, Vertx vertx, int framesPerSecond, int capacity,
            long maxBytes, LiveMetrics metrics) {
        this.metrics = metrics;
        this.id = id;
        this.sender = sender;
        this.vertx = vertx;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.sentAt = new long[framesPerSecond];
        java.util.Arrays.fill(sentAt, Long.MIN_VALUE / 2);
    }

    /** What a frame of this many characters is counted for: two bytes a character (a string's worst case) and the overhead. */
    static long sizeOf(int chars) {
        return ENTRY_OVERHEAD + 2L * chars;
    }

    public String id() {
        return id;
    }

    public ClientFilter filter() {
        return filter;
    }

    public void filter(ClientFilter filter) {
        this.filter = filter;
    }

    /**
     * Queues the greeting without sending it yet: replies go out before any broadcast frame, so a session registered
     * right after this (and offered broadcasts at once) still starts with its greeting. {@link #flush()} sends it.
     */
    void greet(String text) {
        synchronized (this) {
            enqueueReply(text, false);
        }
    }

    /** Sends whatever the rate limit allows now. */
    void flush() {
        drain();
    }

    /** Sends a frame outside the rate limit and ahead of the broadcasts (hello, replies to the client's own messages). */
    public void reply(String text) {
        synchronized (this) {
            if (closed) {
                return;
            }
            enqueueReply(text, false);
        }
        drain();
    }

    /**
     * Replies to a filter the client sent: the filter now in effect. A {@code filter_ok} still waiting is replaced in
     * place, since it describes a filter that is no longer in effect: a client that sends filters without reading
     * holds one of them, not one per message.
     */
    public void replyFilterOk(String text) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (waitingFilterOk != null) {
                replyBytes += sizeOf(text.length()) - sizeOf(waitingFilterOk.text.length());
                waitingFilterOk.text = text;
                repliesFolded++;
                metrics.repliesFolded().increment();
                // A longer filter can push the queue over its bound: the broadcasts make way, never the filter.
                evictBroadcastsBeyondBounds();
                notePeak();
            } else {
                enqueueReply(text, true);
            }
        }
        drain();
    }

    /** Queues a broadcast frame if the client's filter wants it. */
    public void offer(LiveFrame frame) {
        if (!filter.accepts(frame)) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            Object key = frame.foldKey() != null ? frame.foldKey() : Long.valueOf(uniqueKeys++);
            Waiting same = waiting.get(key);
            if (same != null) {
                waitingBytes -= same.size;
                same.fold(frame);
                waitingBytes += same.size;
                metrics.folded().increment();
                evictBroadcastsBeyondBounds();
                notePeak();
                return;
            }
            Waiting added = new Waiting(frame);
            waiting.put(key, added);
            waitingBytes += added.size;
            evictBroadcastsBeyondBounds();
            notePeak();
        }
        drain();
    }

    public void close() {
        synchronized (this) {
            closed = true;
            waiting.clear();
            replies.clear();
            waitingFilterOk = null;
            waitingBytes = 0;
            replyBytes = 0;
        }
    }

    synchronized int waitingFrames() {
        return waiting.size();
    }

    synchronized int waitingReplies() {
        return replies.size();
    }

    /** Bytes this client holds now: waiting broadcasts, waiting replies and frames in flight (see {@link #sizeOf}). */
    public synchronized long queuedBytes() {
        return waitingBytes + replyBytes + inFlightBytes;
    }

    /** The most this client ever held. */
    synchronized long peakQueuedBytes() {
        return peakBytes;
    }

    /** Waiting {@code filter_ok} replies replaced by a newer one. */
    synchronized long repliesFolded() {
        return repliesFolded;
    }

    /** Replies dropped for want of room. */
    synchronized long repliesDropped() {
        return repliesDropped;
    }

    /** Every frame this client lost (broadcasts and replies), announced or still to be announced in {@code dropped} frames. */
    synchronized long framesDropped() {
        return framesDropped;
    }

    /** Adds a reply, making room by dropping the oldest waiting broadcasts; a reply that still does not fit is dropped. */
    private void enqueueReply(String text, boolean filterOk) {
        long size = sizeOf(text.length());
        while (!waiting.isEmpty() && queuedBytes() + size > maxBytes) {
            dropOldestBroadcast();
        }
        if (queuedBytes() + size > maxBytes) {
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

    /** Drops the oldest waiting broadcasts while the queue is over its frame count or byte bound. */
    private void evictBroadcastsBeyondBounds() {
        while (!waiting.isEmpty() && (waiting.size() > capacity || queuedBytes() > maxBytes)) {
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
        dropped += frames;
        framesDropped += frames;
        metrics.dropped().increment(frames);
    }

    private void notePeak() {
        long now = waitingBytes + replyBytes + inFlightBytes;
        if (now > peakBytes) {
            peakBytes = now;
        }
    }

    private void drain() {
        List<String> texts = null;
        synchronized (this) {
            while (!closed && inFlight < MAX_IN_FLIGHT) {
                String text = nextText();
                if (text == null) {
                    break;
                }
                if (texts == null) {
                    texts = new ArrayList<>(4);
                }
                texts.add(text);
                inFlight++;
                inFlightBytes += sizeOf(text.length());
                notePeak();
            }
        }
        if (texts != null) {
            texts.forEach(this::write);
        }
    }

    /** The next frame allowed out now, or null (nothing waiting, or the window is full: a timer is set). */
    private String nextText() {
        if (!replies.isEmpty()) {
            Reply reply = replies.poll();
            replyBytes -= sizeOf(reply.text.length());
            if (reply == waitingFilterOk) {
                waitingFilterOk = null;
            }
            return reply.text;
        }
        if (waiting.isEmpty() && dropped == 0) {
            return null;
        }
        long now = System.nanoTime() / 1_000_000;
        long wait = sentAt[next] + 1000 - now;
        if (wait > 0) {
            scheduleDrain(wait);
            return null;
        }
        sentAt[next] = now;
        next = (next + 1) % sentAt.length;
        if (dropped > 0) {
            String text = "{\"type\":\"dropped\",\"count\":" + dropped + "}";
            dropped = 0;
            return text;
        }
        Iterator<Waiting> first = waiting.values().iterator();
        Waiting head = first.next();
        first.remove();
        waitingBytes -= head.size;
        return head.text();
    }

    private void write(String text) {
        metrics.sent().increment();
        long size = sizeOf(text.length());
        sender.apply(text).subscribe().with(ok -> written(size), failure -> {
            // The connection is gone or going; @OnClose removes the session.
            close();
        });
    }

    private void written(long size) {
        synchronized (this) {
            inFlight--;
            inFlightBytes -= size;
        }
        drain();
    }

    private void scheduleDrain(long millis) {
        if (!timerSet) {
            timerSet = true;
            vertx.setTimer(Math.max(1, millis), t -> {
                synchronized (this) {
                    timerSet = false;
                }
                drain();
            });
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
