#!/usr/bin/env python3
"""Latency of one HTTP GET, measured sequentially (one request at a time) after a warm-up:
prints one JSON object {"url", "requests", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms", "bytes"}.
Every answer must be 200, or it stops with an error.

  bench/http-latency.py URL [--requests 200] [--warmup 20] [--user U --password P]
"""
import argparse
import base64
import json
import statistics
import sys
import time
import urllib.request


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--user")
    ap.add_argument("--password")
    a = ap.parse_args()
    headers = {"Accept": "application/json"}
    if a.user:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{a.user}:{a.password}".encode()).decode()

    def get():
        t = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(a.url, headers=headers), timeout=60) as r:
            body = r.read()
            if r.status != 200:
                sys.exit(f"{a.url}: HTTP {r.status}")
        return (time.perf_counter() - t) * 1000, len(body)

    for _ in range(a.warmup):
        get()
    times, size = [], 0
    for _ in range(a.requests):
        ms, size = get()
        times.append(ms)
    times.sort()
    print(json.dumps({"url": a.url, "requests": a.requests,
                      "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
                      "p99_ms": round(percentile(times, 99), 2), "mean_ms": round(statistics.mean(times), 2),
                      "max_ms": round(times[-1], 2), "bytes": size}))


if __name__ == "__main__":
    main()
