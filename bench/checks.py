"""Ping to stored through the gateway: each /ping/{key} is answered 200 after its run is committed.

usage: checks.py GATEWAY_PORT MONITOR_PORT PINGS KEYS CLIENTS
"""
import http.client
import json
import statistics
import sys
import threading
import time
import base64

gateway, monitor, pings, keys, clients = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
auth = "Basic " + base64.b64encode(b"admin:bench-admin").decode()

conn = http.client.HTTPConnection("127.0.0.1", int(gateway), timeout=30)
ping_keys = []
for i in range(keys):
    body = json.dumps({"name": f"ping-bench-{i}", "period_seconds": 3600})
    conn.request("POST", "/api/checks", body, {"Content-Type": "application/json", "Authorization": auth})
    answer = conn.getresponse()
    data = answer.read()
    assert answer.status == 201, (answer.status, data)
    ping_keys.append(json.loads(data)["ping_key"])

latencies, statuses, lock = [], {}, threading.Lock()
per_client = pings // clients


def client(n):
    c = http.client.HTTPConnection("127.0.0.1", int(gateway), timeout=30)
    for i in range(per_client):
        key = ping_keys[(n * per_client + i) % len(ping_keys)]
        t0 = time.perf_counter()
        c.request("POST", f"/ping/{key}", "exported 1200 rows", {"Content-Type": "text/plain"})
        r = c.getresponse()
        r.read()
        elapsed = time.perf_counter() - t0
        with lock:
            latencies.append(elapsed)
            statuses[r.status] = statuses.get(r.status, 0) + 1


start = time.perf_counter()
threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
seconds = time.perf_counter() - start
latencies.sort()
q = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000
print(f"CHECKS-BENCH ping to stored: {len(latencies)} pings over {keys} keys from {clients} clients in {seconds:.1f} s "
      f"({len(latencies) / seconds:.0f}/s): p50 {q(50):.1f} ms, p99 {q(99):.1f} ms, max {latencies[-1] * 1000:.1f} ms; "
      f"statuses {statuses}")
