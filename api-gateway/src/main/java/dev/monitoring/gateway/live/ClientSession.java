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
 * Short critical sections under the session's own lock: callers are the Redis I/O thread, the
 * connection's event loop and timers.
 */
public class ClientSession {
    /** Frames handed to the socket and not yet written; beyond it frames wait (and fold) in the queue. */
    static final int MAX_IN_FLIGHT = 16;
    private final String id;
    private final LiveMetrics metrics;
    private final Function<String, Uni<Void>> sender;
    private final Vertx vertx;
    private final int capacity;
    private final long[] sentAt;
    private int next;
    private final LinkedHashMap<Object, Waiting> waiting = new LinkedHashMap<>();
    private final ArrayDeque<String> replies = new ArrayDeque<>();
    private volatile ClientFilter filter = ClientFilter.ALL;
    private long dropped;
    private long uniqueKeys;
    private int inFlight;
    private boolean timerSet;
    private boolean closed;

    public ClientSession(String id, Function<String, Uni<Void>> sender, Vertx vertx, int framesPerSecond, int capacity) {
        this(id, sender, vertx, framesPerSecond, capacity, LiveMetrics.unregistered());
    }

    public ClientSession(String id, Function<String, Uni<Void>> sender, Vertx vertx, int framesPerSecond, int capacity,
            LiveMetrics metrics) {
        this.metrics = metrics;
        this.id = id;
        this.sender = sender;
        this.vertx = vertx;
        this.capacity = capacity;
        this.sentAt = new long[framesPerSecond];
        java.util.Arrays.fill(sentAt, Long.MIN_VALUE / 2);
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
            replies.add(text);
        }
    }

    /** Sends whatever the rate limit allows now. */
    void flush() {
        drain();
    }

    /** Sends a frame outside the rate limit and queue (hello, replies to the client's own messages). */
    public void reply(String text) {
        synchronized (this) {
            if (closed) {
                return;
            }
            replies.add(text);
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
                same.fold(frame);
                metrics.folded().increment();
                return;
            }
            waiting.put(key, new Waiting(frame));
            if (waiting.size() > capacity) {
                Iterator<Waiting> oldest = waiting.values().iterator();
                oldest.next();
                oldest.remove();
                dropped++;
                metrics.dropped().increment();
            }
        }
        drain();
    }

    public void close() {
        synchronized (this) {
            closed = true;
            waiting.clear();
        }
    }

    synchronized int waitingFrames() {
        return waiting.size();
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
            }
        }
        if (texts != null) {
            texts.forEach(this::write);
        }
    }

    /** The next frame allowed out now, or null (nothing waiting, or the window is full: a timer is set). */
    private String nextText() {
        if (!replies.isEmpty()) {
            return replies.poll();
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
        String text = first.next().text();
        first.remove();
        return text;
    }

    private void write(String text) {
        metrics.sent().increment();
        sender.apply(text).subscribe().with(ok -> written(), failure -> {
            // The connection is gone or going; @OnClose removes the session.
            close();
        });
    }

    private void written() {
        synchronized (this) {
            inFlight--;
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

    /** A frame in the queue, with how many identical ones it stands for. */
    private static final class Waiting {
        private LiveFrame frame;
        private int count = 1;

        Waiting(LiveFrame frame) {
            this.frame = frame;
        }

        void fold(LiveFrame newer) {
            // The newest error's id and timestamp are shown: the count says how many came before.
            frame = newer;
            count++;
        }

        String text() {
            return frame.render(count);
        }
    }
}
