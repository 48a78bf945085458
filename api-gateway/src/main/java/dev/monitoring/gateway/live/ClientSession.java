package dev.monitoring.gateway.live;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One WebSocket client's outgoing side: its filter, a sliding one-second window that caps its
 * frames per second, and a bounded queue ({@link SessionQueue}) of frames waiting for the window or for the previous
 * frame to be written.
 *
 * <p>At most {@link #MAX_IN_FLIGHT} frames are handed to the socket and not yet written; more
 * leave only as the socket takes them, so a client that does not read only fills its own bounded
 * queue and never holds up a thread or another client. While frames wait, identical errors fold into the waiting frame (its count
 * grows); when the queue is full the oldest frame goes and the client is later told how many.
 *
 * <p>The queue is bounded in bytes as well as in frames: waiting broadcasts, replies to the client's own messages and
 * frames in flight together stay within {@code maxBytes} (see {@link SessionQueue#sizeOf}; only the small {@code dropped} notice,
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

    private final String id;
    private final LiveMetrics metrics;
    private final Function<String, Uni<Void>> sender;
    private final Vertx vertx;
    private final SessionQueue queue;
    /** When each of the last framesPerSecond broadcasts left (ms): a ring, the oldest at {@code next}. */
    private final long[] sentAt;
    /**
     * Above this many frames a second per client there is no limit: the window remembers one time per frame, and a
     * ring of 100,000 per client took 800 KB each, so 1,000 clients ran a 256 MiB heap out of memory.
     */
    static final int MAX_LIMITED_FRAMES_PER_SECOND = 1000;
    private int next;

    private volatile ClientFilter filter = ClientFilter.ALL;
    private int inFlight;
    /** Taken off the queue, not yet handed to the socket; only the thread that set {@code writing} takes from it. */
    private final ArrayDeque<String> toWrite = new ArrayDeque<>();
    private boolean writing;
    private boolean timerSet;
    private boolean closed;
    /**
     * Where broadcasts are drained: the connection's own event loop in the gateway, so the thread that broadcasts
     * (the Redis subscriber's) only queues, and the frames that arrived meanwhile leave in one turn of that loop,
     * written where the socket lives instead of one cross-thread hand-over per frame. Tests drain in place.
     */
    private volatile Executor loop = Runnable::run;
    private volatile InboundLimit inbound;
    private boolean drainQueued;

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
        this.queue = new SessionQueue(capacity, maxBytes, metrics);
        this.sentAt = framesPerSecond > MAX_LIMITED_FRAMES_PER_SECOND ? null : new long[framesPerSecond];
        if (sentAt != null) {
            java.util.Arrays.fill(sentAt, Long.MIN_VALUE / 2);
        }
    }

    public String id() {
        return id;
    }

    public ClientFilter filter() {
        return filter;
    }

    /** Limits how fast this client's own messages are handled (see {@link InboundLimit}). */
    void limitMessages(InboundLimit limit) {
        this.inbound = limit;
    }

    /** How fast this client's messages are handled: set by {@link LiveClients#open} before the session is found. */
    InboundLimit inbound() {
        return inbound;
    }

    public void filter(ClientFilter filter) {
        this.filter = filter;
    }

    /** Drains broadcasts on this executor (the connection's event loop) from now on. */
    void drainOn(Executor loop) {
        this.loop = loop;
    }

    /**
     * Queues the greeting without sending it yet: replies go out before any broadcast frame, so a session registered
     * right after this (and offered broadcasts at once) still starts with its greeting. {@link #flush()} sends it.
     */
    void greet(String text) {
        synchronized (this) {
            queue.reply(text, false);
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
            queue.reply(text, false);
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
            if (!queue.replaceFilterOk(text)) {
                queue.reply(text, true);
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
            if (!queue.offer(frame)) {
                return; // folded into a frame already waiting
            }
            if (drainQueued) {
                return; // the drain already asked for takes this frame too
            }
            drainQueued = true;
        }
        loop.execute(() -> {
            synchronized (this) {
                drainQueued = false;
            }
            drain();
        });
    }

    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            toWrite.clear();
        }
    }

    synchronized int waitingFrames() {
        return queue.waitingFrames();
    }

    synchronized int waitingReplies() {
        return queue.waitingReplies();
    }

    /** Bytes this client holds now: waiting broadcasts, waiting replies and frames in flight (see {@link SessionQueue#sizeOf}). */
    public synchronized long queuedBytes() {
        return queue.bytes();
    }

    /** The most this client ever held. */
    synchronized long peakQueuedBytes() {
        return queue.peakBytes();
    }

    /** Waiting {@code filter_ok} replies replaced by a newer one. */
    synchronized long repliesFolded() {
        return queue.repliesFolded();
    }

    /** Replies dropped for want of room. */
    synchronized long repliesDropped() {
        return queue.repliesDropped();
    }

    /** Every frame this client lost (broadcasts and replies), announced or still to be announced in {@code dropped} frames. */
    synchronized long framesDropped() {
        return queue.framesDropped();
    }

    /**
     * Takes what may leave now off the queue and hands it to the socket, in the order it was taken. Writes are made
     * outside the lock, by one thread at a time: the Redis I/O thread, a timer and the connection's event loop all
     * drain, and two of them each writing what they took could reorder frames (a frame published after a burst
     * overtook the burst's last folded frames).
     */
    private void drain() {
        synchronized (this) {
            while (!closed && inFlight < MAX_IN_FLIGHT) {
                String text = nextText();
                if (text == null) {
                    break;
                }
                inFlight++;
                queue.inFlight(text);
                toWrite.add(text);
            }
            if (writing) {
                return; // the thread writing now writes these too, after what it took before them
            }
            writing = true;
        }
        while (true) {
            String text;
            synchronized (this) {
                text = toWrite.poll();
                if (text == null) {
                    writing = false;
                    return;
                }
            }
            write(text);
        }
    }

    /** The next frame allowed out now, or null (nothing waiting, or the window is full: a timer is set). */
    private String nextText() {
        String reply = queue.nextReply();
        if (reply != null) {
            return reply;
        }
        if (!queue.hasBroadcast()) {
            return null;
        }
        if (sentAt == null) {
            return queue.nextBroadcast();
        }
        long now = System.nanoTime() / 1_000_000;
        long wait = sentAt[next] + 1000 - now;
        if (wait > 0) {
            scheduleDrain(wait);
            return null;
        }
        sentAt[next] = now;
        next = (next + 1) % sentAt.length;
        return queue.nextBroadcast();
    }

    private void write(String text) {
        metrics.sent().increment();
        long size = SessionQueue.sizeOf(text.length());
        Uni<Void> sending;
        try {
            sending = sender.apply(text);
        } catch (RuntimeException e) {
            close(); // as a failed write: the writing thread must go on, or no frame would ever leave again
            return;
        }
        sending.subscribe().with(ok -> written(size), failure -> {
            // The connection is gone or going; @OnClose removes the session.
            close();
        });
    }

    private void written(long size) {
        synchronized (this) {
            inFlight--;
            queue.written(size);
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
}
