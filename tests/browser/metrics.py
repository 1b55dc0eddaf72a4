#!/usr/bin/env python3
"""Figures of every page type of `passage serve` (harness.PAGES), against the targets of the pages:

- server time: the `Server-Timing: render;dur=…` header when the server sends one (a page's first
  render: later requests come from the cache and repeat it), else the time of the whole HTTP request
  on loopback; the median of 20 requests (target: under 5 ms); and the `gzip` part, compressing it;
- size: the body as sent to a client that accepts gzip, the raw body, and the body compressed here
  with gzip -6 (target: under 250 KB compressed: what the server sent if it compressed, else gzip -6);
- first contentful paint in Chromium, the median of 5 loads each in a fresh context (target: under
  300 ms).

Prints a table and writes the figures as JSON (--json FILE; default: a file in a new temporary
directory, printed at the end).

Usage: scripts/page-metrics [--only PATH]... [--json FILE] [--base-url URL]
"""

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

SERVER_MS = 5.0
COMPRESSED_BYTES = 250 * 1024
FCP_MS = 300.0
REQUESTS = 20
LOADS = 5

FCP_JS = """() => new Promise(resolve => {
  const now = () => {
    const e = performance.getEntriesByName('first-contentful-paint')[0];
    return e ? e.startTime : null;
  };
  if (now() !== null) return resolve(now());
  new PerformanceObserver(() => resolve(now())).observe({type: 'paint', buffered: true});
  setTimeout(() => resolve(now()), 3000);
})"""


def timing_ms(headers, name):
    """The dur of the `name` metric (`render`, `gzip`) of a Server-Timing header, or None."""
    for value in headers.get_all("Server-Timing") or []:
        for metric in value.split(","):
            parts = [p.strip() for p in metric.split(";")]
            if parts[0] == name:
                for p in parts[1:]:
                    m = re.fullmatch(r"dur=([0-9.]+)", p)
                    if m:
                        return float(m.group(1))
    return None


def warmed(headers):
    """Whether the page was rendered when the server warmed its release, before any request."""
    return any('desc="warmed"' in v for v in headers.get_all("Server-Timing") or [])


def server_time(url):
    header, gzips, wall = [], [], []
    status = None
    was_warmed = False
    for _ in range(REQUESTS):
        t = time.perf_counter()
        status, headers, _ = harness.fetch(url)
        wall.append((time.perf_counter() - t) * 1000)
        r = timing_ms(headers, "render")
        if r is not None:
            header.append(r)
        was_warmed = was_warmed or warmed(headers)
        g = timing_ms(headers, "gzip")
        if g is not None:
            gzips.append(g)
    median = lambda v: statistics.median(v) if v else None  # noqa: E731
    return status, median(header), median(gzips), statistics.median(wall), was_warmed


def sizes(url):
    status, headers, wire = harness.fetch(url, headers={"Accept-Encoding": "gzip"})
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    raw = gzip.decompress(wire) if encoding == "gzip" else wire
    return {
        "encoding": encoding or None,
        "sent_bytes": len(wire),
        "raw_bytes": len(raw),
        "gzip6_bytes": len(gzip.compress(raw, compresslevel=6, mtime=0)),
    }


def fcp(browser, url, origin):
    values = []
    for _ in range(LOADS):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin + "/")
                      else route.abort("blockedbyclient"))
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            context.close()
            return None
        v = page.evaluate(FCP_JS)
        context.close()
        if v is not None:
            values.append(v)
    return statistics.median(values) if values else None


def kb(n):
    return f"{n / 1024:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[], metavar="PATH", help="measure only this page type; repeatable")
    ap.add_argument("--json", metavar="FILE", help="where the figures go (default: a new temporary directory)")
    ap.add_argument("--base-url", metavar="URL", help="measure this running server instead of starting one")
    args = ap.parse_args()
    out = args.json or os.path.join(tempfile.mkdtemp(prefix="passage-metrics-"), "page-metrics.json")

    rows = []
    with harness.server(args.base_url) as origin, sync_playwright() as pw:
        # Server times and sizes first, with no browser running: a browser's work after each load
        # would otherwise share the cores with the renders being timed.
        measured = []
        for spec in harness.PAGES:
            try:
                path = harness.resolve(spec, origin)
            except ValueError as e:
                if not args.only or spec["path"] in args.only:
                    rows.append({"page": spec["path"], "path": None, "error": str(e)})
                continue
            if args.only and spec["path"] not in args.only and path not in args.only:
                continue
            url = origin + path
            status, header_ms, gzip_ms, wall_ms, was_warmed = server_time(url)
            row = {"page": spec["path"], "path": path, "status": status, "gzip_ms": gzip_ms, "warmed": was_warmed,
                   "server_ms": header_ms if header_ms is not None else wall_ms,
                   "server_ms_source": "Server-Timing render" if header_ms is not None else "request time",
                   "request_ms": wall_ms}
            rows.append(row)
            if status != 200:
                row["error"] = f"status {status}"
                print(f"{path}: status {status}", flush=True)
                continue
            row.update(sizes(url))
            row["compressed_bytes"] = row["sent_bytes"] if row["encoding"] == "gzip" else row["gzip6_bytes"]
            measured.append((spec, url, row))
        browser = harness.launch_chromium(pw)
        version = browser.version
        for spec, url, row in measured:
            row["fcp_ms"] = None if spec.get("feed") else fcp(browser, url, origin)
            row["over"] = [name for name, over in (
                ("server", row["server_ms"] > SERVER_MS),
                ("size", row["compressed_bytes"] > COMPRESSED_BYTES),
                ("fcp", row["fcp_ms"] is not None and row["fcp_ms"] > FCP_MS)) if over]
            print(f"{row['path']}: measured", flush=True)
        browser.close()

    print()
    head = f"{'page':<46} {'server ms':>9} {'gzip ms':>7} {'raw KB':>8} {'sent KB':>8} {'gzip6 KB':>8} {'FCP ms':>7}  over target"
    print(head)
    print("-" * len(head))
    for r in rows:
        if "error" in r:
            print(f"{(r['path'] or r['page'])[:46]:<46} {r['error']}")
            continue
        fc = f"{r['fcp_ms']:.0f}" if r["fcp_ms"] is not None else "-"
        src = ("w" if r.get("warmed") else "") if r["server_ms_source"].startswith("Server-Timing") else "*"
        gz = f"{r['gzip_ms']:.2f}" if r.get("gzip_ms") is not None else "-"
        print(f"{r['path'][:46]:<46} {r['server_ms']:>8.2f}{src or ' '} {gz:>7} {kb(r['raw_bytes']):>8} "
              f"{kb(r['sent_bytes']):>8} {kb(r['gzip6_bytes']):>8} {fc:>7}  {', '.join(r['over']) or '-'}")
    print(f"\ntargets: server under {SERVER_MS:g} ms, under {COMPRESSED_BYTES // 1024} KB compressed, "
          f"first contentful paint under {FCP_MS:g} ms")
    print("server ms: the page's first render in this server (Server-Timing `render`; later requests are served")
    print("  from its cache), without compressing it (`gzip`, once per page); the in-process p99 of a render is")
    print("  `cargo bench -p passage-server --bench page_tail`")
    print("w: rendered when the server warmed its release, before any request: no visitor waited for it")
    print("* no Server-Timing header: the median time of the whole request on loopback instead")
    binary = None if args.base_url else os.path.relpath(harness.passage_bin(), harness.REPO)
    if binary and "debug" in binary.split(os.sep):
        print(f"binary: {binary}, a debug build: its server times are not a release build's "
              "(PASSAGE_BIN=target/release/passage after `cargo build --release --bin passage`)")
    print(f"medians of {REQUESTS} requests and of {LOADS} loads; 'sent' is the body as sent to a client accepting gzip")
    summary = {
        "targets": {"server_ms": SERVER_MS, "compressed_bytes": COMPRESSED_BYTES, "fcp_ms": FCP_MS},
        "requests": REQUESTS, "loads": LOADS, "chromium": version, "binary": binary, "base_url": args.base_url,
        "pages": rows,
    }
    with open(out, "w") as f:
        json.dump(summary, f, indent=2)
    print(f"figures: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
