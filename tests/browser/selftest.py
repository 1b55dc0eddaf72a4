#!/usr/bin/env python3
"""The browser tests tested: run.py's checks on two pages of a fixture server (no passage needed),
one that keeps the contract of the pages, where they must find nothing, and one with a fault planted
for each check, each of which they must find.

Usage: python3 tests/browser/selftest.py    (exit status 1 if a check misses or invents a fault)
"""

import http.server
import json
import os
import sys
import shutil
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import run  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

SVG = ('<svg role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="300" height="150">'
       '<title>Refugees, 2020 to 2024</title><desc>A rising line</desc><rect width="50" height="20"/>'
       '<g class="legend" font-size="11"><text x="60" y="12">Refugees</text></g></svg>')
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
API = {"place": {"kind": "country", "name": "SYR"},
       "points": [{"year": 2023, "value": 12345}, {"year": 2024, "value": None}, {"year": 2022, "value": 0.1}]}


def document(title, body, head=""):
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f'<style>body{{font-family:sans-serif}} .bg{{background:url(/bg.png)}}</style>{head}</head>'
            f'<body><header><form role="search" action="/search"><label for="q">Search</label>'
            f'<input id="q" type="search" name="q"><button>Search</button></form></header>'
            f'<main><h1>{title}</h1>{body}</main></body></html>')


GOOD = document("Syria", f"""
<figure>{SVG}<figcaption><a href="/good/charts/a.svg">SVG</a> <a href="good/charts/a.png">PNG</a></figcaption></figure>
<p>Source: UNHCR, https://www.unhcr.org/refugee-statistics (as text)</p>
<table class="data" data-api="/api/good"><caption>Refugees</caption>
<thead><tr><th scope="col">Year</th><th scope="col">Refugees</th></tr></thead><tbody>
<tr data-year="2023" data-country="SYR"><th scope="row">2023</th><td data-value="12345">12,345</td></tr>
<tr data-year="2024" data-country="SYR"><th scope="row">2024</th><td data-value="" title="not available"></td></tr>
<tr data-year="2022"><th scope="row">2022</th><td data-value="0.1000000000001">0.1</td></tr>
</tbody></table>
<form action="/good" method="get"><label>Year <select name="year"><option value="2024" selected>2024</option>
<option value="2023">2023</option></select></label><button type="submit">Show</button></form>
<p><a href="mailto:data@example.org">Write to us</a> · <a href="#top">Top</a></p>
""")

BAD = document("Bad", f"""
<h3>A heading two levels under the page's</h3>
<img src="//cdn.example.com/logo.png" alt="logo">
<a href="https://www.example.org/source">source</a>
<div style="background: url('http://example.net/bg.png'); width: 900px">wide</div>
<svg role="img" viewBox="0 0 10 10"><title>No description</title></svg>
<div id="late"></div><img src="/missing.png" alt="missing">
<table class="data" data-api="/api/good">
<tr data-year="2023" data-country="SYR"><td data-value="12346">12,346</td></tr>
<tr data-year="2024" data-country="SYR"><td data-value="0">0</td></tr>
<tr data-year="1999" data-country="SYR"><td data-value="1">1</td></tr></table>
<table class="data"><tr><td>no api</td></tr></table>
<div style="overflow-x: auto"><table><caption>A caption as long as the table is wide, past the box</caption>
<tr><td style="min-width: 900px">wide</td></tr></table></div>
<form method="post" action="/bad"><input name="who"><select name="what"><option>a</option></select></form>
<p id="twice">a</p><p id="twice">b</p>
<p style="color:#eee;background:#fff">low contrast</p>
<script>
console.error("planted console error");
document.getElementById("late").innerHTML = '{SVG}';
fetch("https://tracker.example.com/hit").catch(() => {{}});
setTimeout(() => {{ throw new Error("planted page error"); }}, 0);
</script>
""", head='<style>@import url("https://fonts.example.com/css"); .legend { font-size: 20px }</style>')

FEED_GOOD = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:passage:r</id>'
             '<title>Releases</title><updated>2026-01-01T00:00:00Z</updated><link rel="self" href="/feeds/good.atom"/>'
             '<entry><id>urn:passage:r:1</id><title>r1</title><updated>2026-01-01T00:00:00Z</updated></entry></feed>')
FEED_BAD = '<?xml version="1.0"?><rss version="2.0"><channel><link>https://example.org/</link></channel></rss>'

ROUTES = {
    "/good": ("text/html; charset=utf-8", GOOD),
    "/bad": ("text/html; charset=utf-8", BAD),
    "/search": ("text/html; charset=utf-8", document("Search", "<p>results</p>")),
    "/api/good": ("application/json", json.dumps(API)),
    "/good.json": ("application/json", "{}"),
    "/good.csv": ("text/csv", "year,value\n2023,12345\n"),
    "/bad.json": ("application/json", "{not json"),
    "/bad.csv": ("text/csv", "year,value\n"),
    "/good/charts/a.svg": ("image/svg+xml", SVG),
    "/good/charts/a.png": ("image/png", PNG),
    "/feeds/good.atom": ("application/atom+xml", FEED_GOOD),
    "/feeds/bad.atom": ("application/atom+xml", FEED_BAD),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        ctype, body = ROUTES.get(path, ("text/plain", None))
        body = body if body is not None else "not found"
        body = body.encode() if isinstance(body, str) else body
        self.send_response(200 if path in ROUTES else 404)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# Each check the bad page must fail, with a piece of its message.
EXPECTED_BAD = [
    ("network", "cdn.example.com/logo.png"),
    ("network", "tracker.example.com"),
    ("console", "planted console error"),
    ("console", "/missing.png answered 404"),
    ("pageerror", "planted page error"),
    ("urls", "//cdn.example.com"),
    ("urls", "https://www.example.org/source"),
    ("urls", "example.net/bg.png"),
    ("urls", "fonts.example.com"),
    ("charts", "no <desc>"),
    ("charts", '"Refugees" set at 20 px, measured at 11'),
    ("forms", "not GET"),
    ("ids", "twice"),
    ("labels", 'name="who"'),
    ("labels", 'name="what"'),
    ("values", "row SYR 2023: page '12346'"),
    ("values", "row SYR 2024: page '0', API None"),
    ("values", "row SYR 1999: not in the API"),
    ("axe", "color-contrast"),
    ("axe", "heading-order"),
    ("nojs", "charts without JavaScript"),
    ("narrow", "horizontal scroll"),
    ("narrow", "caption runs out of its scroll box"),
    ("twins", "/bad.json is not JSON"),
    ("twins", "/bad.csv has 1 line"),
]
EXPECTED_BAD_FEED = [("feed", "not an Atom <feed>")]


def missing(result, expected):
    return [(c, m) for c, m in expected if not any(f.startswith(f"[{c}]") and m in f for f in result.failures)]


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    with open(run.AXE, encoding="utf-8") as f:
        axe_source = f.read()
    shots = tempfile.mkdtemp(prefix="passage-selftest-")
    problems = []
    try:
        with sync_playwright() as pw:
            browser = harness.launch_chromium(pw)
            ctx = run.contexts(browser, origin)
            good = run.Page({"path": "/good", "values": True, "form": True})
            run.test_page(good, origin, "/good", ctx, axe_source, shots)
            bad = run.Page({"path": "/bad", "values": True})
            run.test_page(bad, origin, "/bad", ctx, axe_source, shots)
            browser.close()
        good_feed = run.Page({"path": "/feeds/good.atom", "feed": True})
        run.check_feed(good_feed, origin, "/feeds/good.atom")
        bad_feed = run.Page({"path": "/feeds/bad.atom", "feed": True})
        run.check_feed(bad_feed, origin, "/feeds/bad.atom")
    finally:
        server.shutdown()
        # The planted pages' screenshots prove nothing once the checks below are made.
        shutil.rmtree(shots, ignore_errors=True)
    for r in (good, good_feed):
        problems += [f"{r.path}: found a fault that is not there: {f}" for f in r.failures]
    for r, expected in ((bad, EXPECTED_BAD), (bad_feed, EXPECTED_BAD_FEED)):
        problems += [f"{r.path}: missed the planted fault [{c}] …{m}…" for c, m in missing(r, expected)]
    if not any("form:" in n and "year=2023" in n for n in good.notes):
        problems.append(f"/good: the form was not submitted as expected: {good.notes}")
    for p in problems:
        print("FAIL", p)
    if problems:
        print("\nwhat the bad page got:")
        for f in bad.failures:
            print("   ", f)
    print(f"selftest: {'FAILED' if problems else 'ok'} ({len(bad.failures)} faults found on the bad page, "
          f"{len(good.failures)} on the good one)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
