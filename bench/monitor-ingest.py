#!/usr/bin/env python3
"""Publishes N error events at a given rate on a Redis channel (plain RESP over a socket, no
dependencies). Each event's timestamp is its publish time, so the monitor's rows give the
publish-to-row latency (stored_at - occurred_at)."""
import argparse
import json
import socket
import threading
import time
from datetime import datetime, timezone


def resp(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def make_event(prefix, i, timestamp):
    """One benchmark error event (about 600 bytes of JSON)."""
    return {
        "error_id": f"{prefix}-{i}",
        "error_type": "BenchError",
        "error_message": f"Benchmark event {i}: pattern detection failed for Doji: Insufficient data",
        "error_traceback": "Traceback (most recent call last):\n  File \"detector.py\", line 42, in detect\n" * 2,
        "severity": "error",
        "category": "pattern",
        "context": {"component": "Bench", "operation": "publish", "symbol": f"SYM{i % 100}",
                    "timeframe": "daily", "metadata": {"i": i}},
        "timestamp": timestamp,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=5000, help="events per second")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=6379)
    ap.add_argument("--channel", default="errors")
    ap.add_argument("--prefix", help="error_id prefix of this run")
    ap.add_argument("--durable", action="store_true",
                    help="like the shared publisher (runner): XADD <channel>:stream MAXLEN ~ 100000 before each PUBLISH, "
                         "whose copy is marked durable (monitors consuming the stream skip it)")
    ap.add_argument("--sample", action="store_true",
                    help="print one event's JSON (the payload other benchmarks use) and exit")
    a = ap.parse_args()
    if a.sample:
        print(json.dumps(make_event(a.prefix or "bench-sample", 123456, datetime.now(timezone.utc).isoformat())))
        return
    if not a.prefix:
        ap.error("--prefix is required")

    sock = socket.create_connection((a.host, a.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    replies = {"n": 0, "receivers": 0}

    def reader():
        buf = b""
        while replies["n"] < a.n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\r\n")
            for line in lines:
                if line.startswith(b":"):  # PUBLISH answers an integer; XADD a bulk string (not counted)
                    replies["n"] += 1
                    replies["receivers"] += int(line[1:])

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    start = time.monotonic()
    sent = 0
    while sent < a.n:
        due = min(a.n, int((time.monotonic() - start) * a.rate) + 1)
        if due > sent:
            out = []
            for i in range(sent, due):
                payload = json.dumps(make_event(a.prefix, i, datetime.now(timezone.utc).isoformat()))
                if a.durable:
                    out.append(resp("XADD", a.channel + ":stream", "MAXLEN", "~", "100000", "*", "event", payload))
                    # Channels.markDurable: the same JSON with "durable": true first
                    out.append(resp("PUBLISH", a.channel, '{"durable":true,' + payload[1:]))
                else:
                    out.append(resp("PUBLISH", a.channel, payload))
            sock.sendall(b"".join(out))
            sent = due
        else:
            time.sleep(0.002)
    publish_seconds = time.monotonic() - start
    t.join(timeout=30)
    print(json.dumps({"published": sent, "publish_seconds": round(publish_seconds, 3),
                      "publish_rate": round(sent / publish_seconds, 1),
                      "redis_replies": replies["n"], "delivered_to_subscribers": replies["receivers"]}))


if __name__ == "__main__":
    main()
