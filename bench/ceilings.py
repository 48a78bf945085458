#!/usr/bin/env python3
"""The ceiling of this machine for the monitor's ingest path, measured raw (no service involved):

  redis-publish   redis-benchmark PUBLISH of one ~600-byte benchmark event, pipelined
  redis-xadd      redis-benchmark XADD key MAXLEN ~ 100000 * payload <the same event>, pipelined
  pg-insert       PostgreSQL multi-row INSERT (BATCH rows a statement, one commit each, like the
                  monitor's batches) into a scratch copy of monitor.error_logs
  pg-copy         PostgreSQL COPY of the same rows into the same (emptied) table

The scratch table is made from the monitor's own Flyway migrations (schema renamed to
bench_ceiling) in the database --pg-db, so it has the real columns and indexes; the schema is
dropped afterwards, as is the Redis stream key. Prints one JSON object a line:
{"kind": "ceiling", "name", "rate" (per second), "unit", "detail"}.
"""
import argparse
import csv
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
monitor_ingest = __import__("monitor-ingest")  # make_event: the very event the ingest benchmark publishes

MIGRATIONS = os.path.join(HERE, "..", "monitor-service", "src", "main", "resources", "db", "migration")
SCHEMA = "bench_ceiling"
COLUMNS = ("error_id, error_type, error_message, error_traceback, severity, category, component, operation, "
           "symbol, timeframe, context, fingerprint, occurred_at, received_at")


def emit(name, rate, unit, detail):
    print(json.dumps({"kind": "ceiling", "name": name, "rate": round(rate, 1), "unit": unit, "detail": detail}),
          flush=True)


def redis_benchmark(a, *command):
    """Runs redis-benchmark --csv on one command, returns (requests/s, p50 ms)."""
    out = subprocess.run(["redis-benchmark", "-h", a.redis_host, "-p", str(a.redis_port), "-n", str(a.requests),
                          "-P", str(a.pipeline), "-c", str(a.clients), "--csv", *command],
                         check=True, capture_output=True, text=True).stdout
    # "test","rps","avg","min","p50","p95","p99","max": the test name (the command) is not escaped,
    # so read the seven numbers from the end of the last line.
    last = out.strip().splitlines()[-1].split(",")
    return float(last[-7].strip('"')), float(last[-4].strip('"'))


def psql(a, *sqls, file=None, stdin=None):
    """Each of sqls runs on its own (so VACUUM works), or the file with one transaction a statement."""
    cmd = ["psql", "-h", a.pg_host, "-p", str(a.pg_port), "-U", a.pg_user, "-d", a.pg_db,
           "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    for sql in sqls:
        cmd += ["-c", sql]
    if file:
        cmd += ["-f", file]
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    subprocess.run(cmd, check=True, stdin=stdin, stdout=subprocess.DEVNULL, env=env)


def rows(n):
    """n rows shaped like the monitor's: the benchmark event, as the monitor would store it."""
    base = datetime.now(timezone.utc) - timedelta(minutes=30)
    for i in range(n):
        t = base + timedelta(microseconds=i * 100)
        e = monitor_ingest.make_event("bench-ceiling", i, t.isoformat())
        c = e["context"]
        yield (e["error_id"], e["error_type"], e["error_message"], e["error_traceback"], e["severity"], e["category"],
               c["component"], c["operation"], c["symbol"], c["timeframe"], json.dumps(c),
               "%040x" % (i % 1000), e["timestamp"], (t + timedelta(milliseconds=2)).isoformat())


def sql_literal(v):
    return "'" + v.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200000, help="redis-benchmark requests per command")
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rows", type=int, default=100000, help="PostgreSQL rows per method")
    ap.add_argument("--batch", type=int, default=1000, help="rows per INSERT statement")
    ap.add_argument("--redis-host", default="127.0.0.1")
    ap.add_argument("--redis-port", type=int, default=6379)
    ap.add_argument("--pg-host", default="127.0.0.1")
    ap.add_argument("--pg-port", type=int, default=5432)
    ap.add_argument("--pg-user", default="postgres")
    ap.add_argument("--pg-db", default="monitoring_bench")
    ap.add_argument("--skip-redis", action="store_true")
    ap.add_argument("--skip-pg", action="store_true")
    a = ap.parse_args()

    payload = json.dumps(monitor_ingest.make_event("bench-ceiling", 123456, datetime.now(timezone.utc).isoformat()))
    size = len(payload.encode())
    if not a.skip_redis:
        channel = f"bench.ceiling.{os.getpid()}"
        rps, p50 = redis_benchmark(a, "PUBLISH", channel, payload)
        emit("redis-publish", rps, "msgs/s",
             f"redis-benchmark PUBLISH, {size}-byte event, -P {a.pipeline}, {a.clients} conns, no subscriber; p50 {p50} ms")
        key = f"bench:ceiling:stream:{os.getpid()}"
        try:
            rps, p50 = redis_benchmark(a, "XADD", key, "MAXLEN", "~", "100000", "*", "payload", payload)
        finally:
            subprocess.run(["redis-cli", "-h", a.redis_host, "-p", str(a.redis_port), "DEL", key],
                           check=False, stdout=subprocess.DEVNULL)
        emit("redis-xadd", rps, "entries/s",
             f"redis-benchmark XADD MAXLEN ~ 100000, {size}-byte field, -P {a.pipeline}, {a.clients} conns; p50 {p50} ms")

    if a.skip_pg:
        return
    with tempfile.TemporaryDirectory(prefix="bench-ceiling-") as tmp:
        # The scratch schema from the real migrations, so columns, defaults and indexes match.
        ddl = os.path.join(tmp, "schema.sql")
        with open(ddl, "w") as f:
            f.write(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE;\nCREATE SCHEMA {SCHEMA};\n")
            for m in sorted(glob.glob(os.path.join(MIGRATIONS, "V*.sql")),
                            key=lambda p: int(re.match(r"V(\d+)", os.path.basename(p)).group(1))):
                f.write(re.sub(r"\bmonitor\.", SCHEMA + ".", open(m).read()) + "\n")
        psql(a, file=ddl)
        try:
            data = list(rows(a.rows))
            inserts = os.path.join(tmp, "insert.sql")
            with open(inserts, "w") as f:
                for start in range(0, len(data), a.batch):
                    values = ",\n".join("(" + ", ".join(sql_literal(v) for v in r) + ")"
                                        for r in data[start:start + a.batch])
                    f.write(f"INSERT INTO {SCHEMA}.error_logs ({COLUMNS}) VALUES\n{values};\n")
            copy = os.path.join(tmp, "copy.csv")
            with open(copy, "w", newline="") as f:
                csv.writer(f).writerows(data)
            del data

            psql(a, "CHECKPOINT", f"VACUUM ANALYZE {SCHEMA}.error_logs")
            t = time.monotonic()
            psql(a, file=inserts)  # autocommit: one transaction per statement
            seconds = time.monotonic() - t
            emit("pg-insert", a.rows / seconds, "rows/s",
                 f"multi-row INSERT of {a.rows} rows, {a.batch} a statement and commit, into a copy of "
                 f"monitor.error_logs with its indexes ({seconds:.2f} s)")

            psql(a, f"TRUNCATE {SCHEMA}.error_logs", "CHECKPOINT", f"VACUUM ANALYZE {SCHEMA}.error_logs")
            t = time.monotonic()
            with open(copy) as f:
                psql(a, f"COPY {SCHEMA}.error_logs ({COLUMNS}) FROM STDIN WITH (FORMAT csv)", stdin=f)
            seconds = time.monotonic() - t
            emit("pg-copy", a.rows / seconds, "rows/s",
                 f"COPY of the same {a.rows} rows, one transaction, same table and indexes ({seconds:.2f} s)")
        finally:
            psql(a, f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


if __name__ == "__main__":
    main()
