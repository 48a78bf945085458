package dev.monitoring.gateway.live;

import dev.monitoring.gateway.ratelimit.TokenBucket;

/**
 * How fast one client's own messages are taken: {@code perSecond} on average, up to a second's worth at once. A
 * message beyond that is held rather than handled, and a newer one replaces it (a filter matters once the client has
 * stopped changing it); the held message is handled as soon as the rate allows. A client that sends more than
 * {@value #CUT_OFF_FACTOR} times its rate within a second is flooding, not filtering: it is cut off, and what it sends
 * after that is ignored.
 *
 * <p>Why: a client's messages are handled on its connection's event loop, which it shares with other connections, the
 * Redis subscriber's among them. A viewer sending 100,000 filters had the loop parse and answer every one, and for
 * seconds nothing else on that loop was read: live errors reached every client 3.6-5.1 s late. Held, a message costs
 * a few field writes.
 */
final class InboundLimit {
    /** What became of a message. */
    enum Verdict {
        /** Handle it now. */
        HANDLE,
        /** Held until the rate allows: ask for it with {@link #release} after {@link #nanosUntilNext}. */
        HELD,
        /** Held in place of an older held message, which is dropped (counted); a release is due already. */
        REPLACED,
        /** Over {@value #CUT_OFF_FACTOR} times the rate within a second: close the connection (said once). */
        CUT_OFF,
        /** Sent after the cut-off, before the connection closed: ignore it. */
        IGNORED
    }

    /** How many times its rate a client may send within a second before it is cut off. */
    static final int CUT_OFF_FACTOR = 10;
    private static final long SECOND = 1_000_000_000L;

    private final TokenBucket bucket;
    private final int cutOffAfter;
    private long windowStart;
    private int inWindow;
    private boolean cutOff;
    private String held;
    private long received;
    private long replaced;

    InboundLimit(int perSecond, long nowNanos) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("at least one message a second, not " + perSecond);
        }
        this.bucket = new TokenBucket(perSecond, perSecond, nowNanos);
        this.windowStart = nowNanos;
        this.cutOffAfter = CUT_OFF_FACTOR * perSecond;
    }

    synchronized Verdict offer(String message, long nowNanos) {
        received++;
        if (cutOff) {
            return Verdict.IGNORED;
        }
        if (nowNanos - windowStart >= SECOND) {
            windowStart = nowNanos;
            inWindow = 0;
        }
        if (++inWindow > cutOffAfter) {
            cutOff = true;
            held = null;
            return Verdict.CUT_OFF;
        }
        if (held != null) {
            // never overtakes the held message: the newest message must be the last one handled
            held = message;
            replaced++;
            return Verdict.REPLACED;
        }
        if (bucket.take(nowNanos)) {
            return Verdict.HANDLE;
        }
        held = message;
        return Verdict.HELD;
    }

    /** The held message, taken off, if the rate allows it now; null otherwise (or when none is held). */
    synchronized String release(long nowNanos) {
        if (held == null || !bucket.take(nowNanos)) {
            return null;
        }
        String message = held;
        held = null;
        return message;
    }

    synchronized boolean holding() {
        return held != null;
    }

    /** How long until the next message may be handled. */
    synchronized long nanosUntilNext(long nowNanos) {
        return bucket.nanosUntilToken(nowNanos);
    }

    /** The most messages a client may send within a second before it is cut off. */
    int cutOffAfter() {
        return cutOffAfter;
    }

    synchronized boolean cutOff() {
        return cutOff;
    }

    /** Messages received from the client: handled, held, replaced or ignored. */
    synchronized long received() {
        return received;
    }

    /** Messages replaced by a newer one before they were handled (never answered). */
    synchronized long replaced() {
        return replaced;
    }
}
