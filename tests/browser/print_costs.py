"""Where a report's print time goes (issue 11): one report, as the one file Passage prints, given to
Chromium's headless shell and printed with Page.printToPDF as Passage prints it, and again after
taking parts of the page away (tables, charts, half the rows, two columns) or turning print options
off (tagging, outline, header and footer, or printing those with the DevTools templates), each on a
fresh load, in turns. Prints each variant's median and fastest time and its PDF's size, all
measured in one run, so their ratios hold while the machine's speed swings.

    scripts/print-costs [--path /reports/countries/SYR] [--rounds 3] [--base-url URL]
"""

import argparse
import base64
import os
import statistics
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

# As the reports crate's PrintJob::params (A4): the running header and page numbers are the
# document's own CSS page-margin boxes. The templates below are the DevTools protocol's way, which
# Passage used before, kept as a variant to compare.
STYLE = "font-family:'DejaVu Sans',sans-serif;font-size:8px;color:#4a4a4a;width:100%;margin:0 12mm;"
PARAMS = {
    "paperWidth": 8.27, "paperHeight": 11.69, "marginTop": 0.6, "marginBottom": 0.6,
    "marginLeft": 0.5, "marginRight": 0.5, "printBackground": True, "displayHeaderFooter": False,
    "generateTaggedPDF": True, "generateDocumentOutline": True, "preferCSSPageSize": False,
}
TEMPLATES = {
    "displayHeaderFooter": True,
    "headerTemplate": f'<div style="{STYLE}">Passage · release</div>',
    "footerTemplate": f'<div style="{STYLE}text-align:right">Page <span class="pageNumber"></span> of '
                      '<span class="totalPages"></span></div>',
}
NO_MARGIN_BOXES = "document.querySelectorAll('head style').forEach(s => { if (s.textContent.startsWith('@page')) s.remove(); })"

# (name, script run on the loaded page, print options changed)
VARIANTS = [
    ("as printed", "", {}),
    ("untagged", "", {"generateTaggedPDF": False}),
    ("no outline", "", {"generateDocumentOutline": False}),
    ("no header, footer", NO_MARGIN_BOXES, {}),
    ("DevTools templates", NO_MARGIN_BOXES, TEMPLATES),
    ("no tables", "document.querySelectorAll('table').forEach(e => e.remove())", {}),
    ("half the rows", "document.querySelectorAll('tbody tr:nth-child(2n)').forEach(e => e.remove())", {}),
    ("two columns fewer",
     "document.querySelectorAll('table tr').forEach(r => { if (r.cells.length >= 4) { r.deleteCell(-1); r.deleteCell(-1); } })", {}),
    ("no charts", "document.querySelectorAll('svg').forEach(e => e.remove())", {}),
]


def headless_shell():
    for p in ("/usr/bin/chromium-headless-shell", harness.chromium_path()):
        if p and os.path.exists(p):
            return p
    sys.exit("print_costs: no Chromium found")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", default="/reports/countries/SYR")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--base-url", metavar="URL", help="use this running server instead of starting one")
    args = ap.parse_args()
    times = {name: [] for name, _, _ in VARIANTS}
    sizes = {}
    loads = []
    with harness.server(args.base_url) as origin, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=headless_shell(),
                                     args=["--no-sandbox", "--font-render-hinting=none"])
        page = browser.new_page()
        # As Passage prints: the report as one file, given to the tab rather than fetched.
        with urllib.request.urlopen(origin + args.path + ".html") as answer:
            html = answer.read().decode("utf-8")
        for _ in range(args.rounds):
            for name, script, options in VARIANTS:
                page.goto("about:blank")
                cdp = page.context.new_cdp_session(page)
                frame = cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
                start = time.perf_counter()
                cdp.send("Page.setDocumentContent", {"frameId": frame, "html": html})
                loads.append(time.perf_counter() - start)
                if script:
                    page.evaluate(script)
                start = time.perf_counter()
                pdf = cdp.send("Page.printToPDF", {**PARAMS, **options})
                times[name].append(time.perf_counter() - start)
                sizes[name] = len(base64.b64decode(pdf["data"]))
                cdp.detach()
        browser.close()
    print(f"{args.path}: {args.rounds} rounds; document set median {statistics.median(loads):.3f} s")
    base = statistics.median(times["as printed"])
    print(f"{'variant':20} {'median':>8} {'fastest':>8} {'of as printed':>14} {'PDF':>9}")
    for name, _, _ in VARIANTS:
        med = statistics.median(times[name])
        print(f"{name:20} {med:7.3f}s {min(times[name]):7.3f}s {med / base:13.2f}× {sizes[name] // 1024:6} KB")


if __name__ == "__main__":
    main()
