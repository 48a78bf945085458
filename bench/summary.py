#!/usr/bin/env python3
"""Collects bench/run-all.sh's figures (one JSON object a line in a results file) and renders them
as one markdown table.

  summary.py add RESULTS key=value ... [--json FILE] [--json-lines FILE]
      appends a record: the key=value pairs (numbers stay numbers), merged into the JSON object in
      FILE, or into each JSON line of FILE (one record each)
  summary.py render RESULTS
      prints the markdown summary
"""
import json
import sys

CEILING_NAMES = {
    "redis-publish": "Redis PUBLISH",
    "redis-xadd": "Redis XADD MAXLEN ~",
    "pg-insert": "PostgreSQL batched INSERT",
    "pg-copy": "PostgreSQL COPY",
}


def value(s):
    """A number when s is exactly how that number prints ("15.20", a version, stays text)."""
    for kind in (int, float):
        try:
            if str(kind(s)) == s:
                return kind(s)
        except ValueError:
            pass
    return s


def add(path, args):
    fields, bases = {}, [{}]
    i = 0
    while i < len(args):
        if args[i] == "--json":
            with open(args[i + 1]) as f:
                bases = [json.load(f)]
            i += 2
        elif args[i] == "--json-lines":
            with open(args[i + 1]) as f:
                bases = [json.loads(line) for line in f if line.strip()]
            i += 2
        else:
            k, _, v = args[i].partition("=")
            fields[k] = value(v)
            i += 1
    with open(path, "a") as out:
        for base in bases:
            out.write(json.dumps({**base, **fields}) + "\n")


def n(x, digits=0):
    """A number with thousands separators, or '?'."""
    if x is None or x == "":
        return "?"
    return f"{x:,.{digits}f}"


def ms(x):
    if x is None:
        return "?"
    return f"{x:,.0f} ms" if x >= 100 else f"{x:.1f} ms"


def render(path):
    records = []
    with open(path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    of = lambda kind: [r for r in records if r.get("kind") == kind]
    meta = next(iter(of("meta")), {})
    ceilings = {r["name"]: r for r in of("ceiling")}
    lowest = min(ceilings.values(), key=lambda r: r["rate"]) if ceilings else None
    publish = ceilings.get("redis-publish")

    def pct(rate, ceiling):
        if ceiling is None or rate is None:
            return ""
        return f"{100 * rate / ceiling['rate']:.1f} % of {CEILING_NAMES[ceiling['name']]}"

    out = [f"# Benchmarks: bench/run-all.sh {meta.get('mode', '')}".rstrip(), ""]
    out.append(f"{meta.get('date', '?')}, {meta.get('cores', '?')} cores ({meta.get('cpu', '?')}), "
               f"{meta.get('memory', '?')} RAM; {meta.get('java', '?')}; PostgreSQL {meta.get('postgres', '?')}, "
               f"Redis {meta.get('redis', '?')}; commit {meta.get('commit', '?')}; "
               f"load average at start {meta.get('load', '?')}")
    out.append("")
    out.append("| benchmark | setting | result | latency | vs ceiling |")
    out.append("|---|---|---|---|---|")
    row = lambda *cells: out.append("| " + " | ".join(str(c) for c in cells) + " |")
    row("**run**", meta.get("date", "?"), f"{meta.get('cores', '?')} cores, {meta.get('memory', '?')} RAM",
        meta.get("options", ""), "")

    for name in CEILING_NAMES:
        if name in ceilings:
            c = ceilings[name]
            detail, _, latency = c["detail"].partition("; ")
            row(f"ceiling: {CEILING_NAMES[name]}", detail, f"{n(c['rate'])} {c['unit']}", latency,
                "**lowest ceiling**" if c is lowest else "")

    for r in of("ingest"):
        setting = f"{n(r['rate'])}/s offered, {n(r['n'])} events"
        if r.get("error"):
            row("ingest: publish → row", setting, f"failed: {r['error']}", "", "")
            continue
        stored = f"stored {n(r.get('stored'))} of {n(r['n'])}"
        row("ingest: publish → row", setting + r.get("note", ""),
            f"published {n(r.get('publish_rate'))}/s, **persisted {n(r.get('persisted_rate'))}/s**, {stored}",
            f"p50 {ms(r.get('p50_ms'))}, p99 {ms(r.get('p99_ms'))}, max {ms(r.get('max_ms'))}",
            # against both of PostgreSQL's: the INSERT the monitor does, and COPY, what more batching could reach
            "; ".join(p for p in (pct(r.get("persisted_rate"), ceilings.get(c)) for c in ("pg-insert", "pg-copy")) if p)
            or pct(r.get("persisted_rate"), lowest))

    for r in of("ws"):
        if r.get("error"):
            row(f"WebSocket: {r.get('scenario', '?')}", "", f"failed: {r['error']}", "", "")
            continue
        limit = ("no per-client limit, every error distinct" if r["scenario"] == "fan-out"
                 else f"{r['frames_per_second_limit']} frames/s per client, {r['kinds']} kinds folded")
        setting = f"{r['clients']} clients × {n(r['rate'])} errors/s for {r['seconds']} s, {limit}"
        result = (f"{n(r['frames_per_second'])} frames/s delivered "
                  f"({n(r['max_frames_per_client_second'], 1)}/s per client max), "
                  f"{n(r['carried_per_client'])} of {n(r['published'])} errors carried per client, "
                  f"dropped {n(r['dropped_per_client'])}; gateway RSS {r.get('gateway_rss_mib', '?')} MiB")
        row(f"WebSocket: publish → frame ({r['scenario']})", setting, result,
            f"p50 {ms(r['p50_ms'])}, p90 {ms(r['p90_ms'])}, p99 {ms(r['p99_ms'])}",
            pct(r["frames_per_second"], publish) + (" (frames/s)" if publish else ""))

    for r in of("query"):
        if r.get("error"):
            row(f"query: {r.get('path', '?')}", "", f"failed: {r['error']}", "", "")
            continue
        row(f"query: `GET {r['path']}`",
            f"{n(r['rows'])} stored errors, {r['requests']} sequential requests after {r['warmup']} warm-up",
            f"{n(r['bytes'])} bytes",
            f"p50 {ms(r['p50_ms'])}, **p95 {ms(r['p95_ms'])}**, p99 {ms(r['p99_ms'])}, max {ms(r['max_ms'])}", "")

    for r in of("retention"):
        setting = f"one day of {n(r.get('rows'))} errors, the monitor's indexes"
        if r.get("error"):
            row("retention: one day aged out", setting, f"failed: {r['error']}", "", "")
            continue
        row("retention: one day aged out", setting,
            f"**DROP of its partition {ms(r['drop_ms'])} + batched DELETE of its error_id claims {ms(r.get('claims_ms'))} "
            f"+ VACUUM {ms(r.get('claims_vacuum_ms'))}**; "
            f"batched DELETE (before V12) {ms(r['delete_ms'])} "
            f"+ VACUUM {ms(r['vacuum_ms'])}; migration V12 moved the rows in {ms(r.get('migration_ms'))}", "", "")

    for r in of("service"):
        row(f"start-up: {r['name']}", "process start → /q/health/ready UP",
            f"{r['startup_s']:.1f} s" if isinstance(r.get("startup_s"), (int, float)) else r.get("startup_s", "?"),
            "", "")
    for r in of("service"):
        after = r.get("rss_after_mib")
        row(f"memory (RSS): {r['name']}", r.get("rss_setting", ""),
            f"{r.get('rss_start_mib', '?')} MiB after start-up"
            + (f", {after} MiB after {r.get('after', 'the ingest run')}" if after is not None else "")
            + (f" (peak {r['rss_peak_mib']} MiB), {r['rss_idle_mib']} MiB after {r['idle_s']} s idle"
               if r.get("rss_idle_mib") is not None else ""), "", "")

    notes = [r["text"] for r in of("note")]
    if notes:
        out.append("")
        out.extend(f"- {t}" for t in notes)
    print("\n".join(out))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("add", "render"):
        sys.exit(__doc__)
    if sys.argv[1] == "add":
        add(sys.argv[2], sys.argv[3:])
    else:
        render(sys.argv[2])


if __name__ == "__main__":
    main()
