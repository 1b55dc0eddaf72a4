#!/usr/bin/env python3
"""Real-browser tests of the pages of `passage serve`, in the system's Chromium driven by Playwright.

Starts `passage serve` on the shared data (harness.server), then for every page type (harness.PAGES):

 1. with JavaScript: status 200, no console error, no page error, no request to any origin but the
    server's (every other request is aborted and counted as a failure);
 2. every URL in an attribute (href, src, srcset, action, style url(…), …) and in a stylesheet is
    relative or same-origin: no absolute http(s) URL, no protocol-relative //host (the W3C
    namespace names in xmlns attributes excepted); URLs in text do not count;
 3. with JavaScript disabled: an <h1>, every chart (svg[role=img]) and data table the page has with
    JavaScript; on the form pages, the first GET form filled and submitted lands on a 200 page
    with an <h1> whose URL carries the parameter;
 4. axe-core: no violation of impact serious or critical, nor of heading-order;
 5. no duplicate id; every input, select and textarea has a label;
 6. the twins: PATH.json is JSON, PATH.csv has a header and a row, each chart's .svg link is SVG
    and its .png link is PNG;
 7. full-page screenshots at 1280 and 360 px wide, no horizontal scroll at 360 px, and no table
    caption running out of the box its table scrolls in;
and the contract of the data: every chart is an svg[role=img] with <title> and <desc> whose text
keeps the size its font-size attributes set (no page style resizes it), every form is GET, and on the `values` pages each row's data-value equals
the value of the native API (at data-api) for the same country and year.

Usage: scripts/browser-test [--only PATH]... [--screenshots DIR] [--base-url URL]
Exit status 1 if any check failed.
"""

import argparse
import concurrent.futures
import csv
import io
import json
import math
import os
import re
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

AXE = os.path.join(harness.HERE, "node_modules", "axe-core", "axe.min.js")
NAMESPACES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/XML/1998/namespace",
}
ATOM = "http://www.w3.org/2005/Atom"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TIMEOUT_MS = 15000
# axe rules below serious that fail a page all the same (see the axe check).
STRICT_AXE_RULES = ("heading-order",)
# Where a page's twins are checked while the browser loads the page again.
BACKGROUND = concurrent.futures.ThreadPoolExecutor(max_workers=1)

# An absolute URL with an authority (http://…, https://…, any scheme://…) or a protocol-relative one.
ABSOLUTE = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)

# Collected in the page: every attribute of every element, the text of every <style>, and the href
# of every linked stylesheet.
COLLECT_JS = """() => {
  const attrs = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) attrs.push([el.tagName.toLowerCase(), a.name, a.value]);
  }
  const styles = [...document.querySelectorAll('style')].map(s => s.textContent);
  const sheets = [...document.querySelectorAll('link[rel~="stylesheet"]')].map(l => l.href);
  return {attrs, styles, sheets};
}"""

STRUCTURE_JS = """() => {
  const text = el => (el && el.textContent || '').trim();
  // Charts: the outermost inline svg elements, but for decorative ones hidden from assistive technology.
  const charts = [...document.querySelectorAll('svg')].filter(s => !s.parentElement.closest('svg')
    && s.getAttribute('aria-hidden') !== 'true');
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  const unlabelled = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (el.tagName === 'INPUT' && ['hidden', 'submit', 'reset', 'button', 'image'].includes(type)) continue;
    const labelled = (el.labels && el.labels.length > 0)
      || (el.getAttribute('aria-label') || '').trim() !== ''
      || (el.getAttribute('aria-labelledby') || '').trim() !== '';
    if (!labelled) unlabelled.push(el.outerHTML.slice(0, 160));
  }
  // A chart's text is placed at the size the server measured it at (its font-size attributes):
  // a page style that overrides that size makes labels overlap their marks.
  const restyled = [];
  for (const t of document.querySelectorAll('svg text')) {
    const sized = t.closest('[font-size]');
    if (!sized || restyled.length >= 5) continue;
    const want = parseFloat(sized.getAttribute('font-size'));
    const got = parseFloat(getComputedStyle(t).fontSize);
    if (Math.abs(want - got) > 0.01) restyled.push(`"${text(t).slice(0, 40)}" set at ${got} px, measured at ${want}`);
  }
  return {
    restyled,
    h1: document.querySelectorAll('h1').length,
    h1text: text(document.querySelector('h1')),
    svgs: charts.map(s => ({
      role: s.getAttribute('role'),
      title: text(s.querySelector(':scope > title')),
      desc: text(s.querySelector(':scope > desc')),
      label: s.getAttribute('aria-label') || '',
      html: s.outerHTML.slice(0, 120),
    })),
    tables: [...document.querySelectorAll('table.data')].map(t => t.getAttribute('data-api')),
    forms: [...document.querySelectorAll('form')].map(f => ({
      method: (f.getAttribute('method') || 'get').toLowerCase(), action: f.getAttribute('action') || ''})),
    dupIds: Object.entries(ids).filter(([k, n]) => n > 1).map(([k, n]) => k + ' x' + n),
    unlabelled,
    chartLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
      .filter(h => /\\.(svg|png)(\\?|#|$)/.test(h)),
  };
}"""

TABLES_JS = """() => [...document.querySelectorAll('table[data-api]')].map((t, i) => ({
  index: i,
  api: t.getAttribute('data-api'),
  caption: (t.querySelector('caption') || {}).textContent || '',
  rows: [...t.querySelectorAll('tr[data-year]')].map(tr => {
    const cell = tr.querySelector('[data-value]');
    const v = cell ? cell.getAttribute('data-value') : null;
    return {year: tr.getAttribute('data-year'), country: tr.getAttribute('data-country'),
            value: (v === null || v.trim() === '') ? null : v.trim()};
  }),
}))"""

# At a narrow width: each table caption that runs past the box its table scrolls in (its end
# is then read only by scrolling the table sideways, which nobody knows to do).
CAPTIONS_JS = """() => {
  const out = [];
  for (const c of document.querySelectorAll('table caption')) {
    let box = c.closest('table').parentElement;
    while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
    if (!box || box === document.body) continue;
    const r = c.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.right > b.right + 1 && out.length < 5)
      out.push(`"${c.textContent.trim().slice(0, 50)}" ends at ${Math.round(r.right)} px, its box at ${Math.round(b.right)}`);
  }
  return out;
}"""

# At a narrow width: the scroll width, the window's width, and the outermost elements that reach
# past the window's right edge (those whose parent does not; not inside a scrolling box), as
# tag#id.class.
WIDE_JS = """() => {
  const w = window.innerWidth;
  const over = el => el.getBoundingClientRect().right > w + 1;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const clipped = el => {
    for (let a = el.parentElement || el.parentNode; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    if (!over(el) || clipped(el)) continue;
    if (over(el) && !(el.parentElement && el.parentElement !== document.body && over(el.parentElement))) {
      const r = el.getBoundingClientRect();
      wide.push(`${name(el)} (${Math.round(r.width)} px wide, right edge at ${Math.round(r.right)})`);
    }
  }
  // Text that overflows its box (a long word, a hash) does not widen the box: look at the text too.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let t = walker.nextNode(); t && wide.length < 5; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || el.closest('svg') || over(el) || clipped(t)) continue;
    range.selectNodeContents(t);
    const r = range.getBoundingClientRect();
    if (r.right > w + 1) wide.push(`text in ${name(el)} "${t.textContent.trim().slice(0, 40)}" (right edge at ${Math.round(r.right)})`);
  }
  return [document.scrollingElement.scrollWidth, w, wide.slice(0, 5)];
}"""

AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')).slice(0, 10), count: v.nodes.length}));
}"""


class Page:
    """The failures and notes of one page type."""

    def __init__(self, spec):
        self.spec = spec
        self.path = spec["path"]
        self.failures = []
        self.notes = []
        self.seconds = 0.0
        self.foreign = set()

    def foreign_requests(self, urls, when=""):
        """A failure for each request to another origin not already counted on this page."""
        for u in sorted(set(urls) - self.foreign):
            self.fail("network", f"request to another origin{when}: {u}")
        self.foreign.update(urls)

    def fail(self, check, message):
        self.failures.append(f"[{check}] {message}")

    def note(self, message):
        self.notes.append(message)


class Recorder:
    """Per browser context: aborts and records every request to another origin, and records
    console errors and page errors of the page being tested."""

    def __init__(self, context, origin):
        self.origin = origin
        self.foreign = []
        self.console = []
        self.errors = []
        self.broken = []
        context.route("**/*", self._route)
        context.on("response", self._response)

    def _response(self, response):
        if response.status >= 400 and response.url.startswith(self.origin + "/") and response.request.resource_type != "document":
            self.broken.append(f"{response.url[len(self.origin):]} answered {response.status}")

    def _route(self, route):
        url = route.request.url
        u = urllib.parse.urlsplit(url)
        if f"{u.scheme}://{u.netloc}" == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort("blockedbyclient")

    def watch(self, page):
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def take(self):
        """(foreign requests, console errors, page errors), each with the subresources of this
        origin that answered an error status counted among the console errors."""
        out = (self.foreign, self.console + self.broken, self.errors)
        self.foreign, self.console, self.errors, self.broken = [], [], [], []
        return out


def goto(page, url):
    try:
        return page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    except PlaywrightError as e:
        return e


def number(v):
    if v is None or isinstance(v, bool):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return "nan"
    return None if math.isnan(x) else x


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if a == "nan" or b == "nan":
        return False
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def check_urls(result, origin, collected, where, fetch_sheets=True):
    """Check 2 on what COLLECT_JS returned."""
    bad = []
    for tag, name, value in collected["attrs"]:
        if name == "xmlns" or name.startswith("xmlns:"):
            if value.strip() not in NAMESPACES and ABSOLUTE.match(value):
                bad.append(f"<{tag} {name}={value!r}>")
            continue
        values = [value]
        if name in ("srcset", "imagesrcset"):
            values = [c.strip().split()[0] for c in value.split(",") if c.strip()]
        if name == "style":
            values = [m.group(2) or m.group(4) for m in CSS_URL.finditer(value)]
        for v in values:
            if v and ABSOLUTE.match(v) and not _same_origin(v, origin):
                bad.append(f"<{tag} {name}={value[:120]!r}>")
                break
    texts = [("<style>", t) for t in collected["styles"]]
    if fetch_sheets:
        for href in collected["sheets"]:
            if _same_origin(href, origin):
                status, _, body = harness.fetch(href)
                texts.append((href[len(origin):], body.decode("utf-8", "replace")))
    for name, text in texts:
        for m in CSS_URL.finditer(text):
            v = m.group(2) or m.group(4)
            if v and ABSOLUTE.match(v) and not _same_origin(v, origin):
                bad.append(f"{name}: url({v[:120]})")
    for b in bad[:20]:
        result.fail("urls", f"{where}: {b}")
    if len(bad) > 20:
        result.fail("urls", f"{where}: … and {len(bad) - 20} more")


def _same_origin(url, origin):
    u = urllib.parse.urlsplit(urllib.parse.urljoin(origin + "/", url.strip()))
    return f"{u.scheme}://{u.netloc}" == origin


def check_values(result, origin, page_url, tables):
    """Each row's data-value against the native API's value for the same (country, year)."""
    if not tables:
        result.fail("values", "no table with data-api on a page whose values are checked")
    for t in tables:
        name = f"table {t['index'] + 1} ({t['api']})"
        if not t["rows"]:
            result.fail("values", f"{name}: no row <tr data-year>")
            continue
        status, _, body = harness.fetch(urllib.parse.urljoin(page_url, t["api"]))
        if status != 200:
            result.fail("values", f"{name}: the API answered {status}")
            continue
        try:
            answer = json.loads(body)
        except ValueError as e:
            result.fail("values", f"{name}: the API's answer is not JSON: {e}")
            continue
        points = answer.get("points")
        if points is None:
            points = answer.get("ranking")
        if not isinstance(points, list):
            result.fail("values", f"{name}: the API's answer has no `points` list")
            continue
        place = answer.get("place") or {}
        place_country = place.get("name") if place.get("kind") == "country" else None
        api = {}
        for p in points:
            key = ((p.get("country") or place_country), str(p.get("year")))
            api[key] = number(p.get("value"))
        wrong = []
        for r in t["rows"]:
            key = ((r["country"] or place_country), str(r["year"]))
            if key not in api:
                wrong.append(f"row {key[0] or ''} {key[1]}: not in the API's answer")
                continue
            mine = number(r["value"])
            if not same(mine, api[key]):
                wrong.append(f"row {key[0] or ''} {key[1]}: page {r['value']!r}, API {api[key]!r}")
        for w in wrong[:10]:
            result.fail("values", f"{name}: {w}")
        if len(wrong) > 10:
            result.fail("values", f"{name}: … {len(wrong) - 10} more rows differ")
        if not wrong:
            result.note(f"{name}: {len(t['rows'])} rows equal to the API")


def check_twins(result, origin, path, chart_links, page_url, page_twins=True):
    """Check 6: the page's .json and .csv twins (an embed, one chart, has none) and its charts'
    .svg and .png files."""
    jpath, cpath = harness.twins(path) if page_twins else (None, None)
    check_page_twins(result, origin, jpath, cpath)
    check_chart_links(result, origin, chart_links, page_url)


def check_page_twins(result, origin, jpath, cpath):
    if jpath is None:
        return
    status, headers, body = harness.fetch(origin + jpath)
    if status != 200:
        result.fail("twins", f"{jpath} answered {status}")
    else:
        try:
            json.loads(body)
        except ValueError as e:
            result.fail("twins", f"{jpath} is not JSON: {e}")
    status, headers, body = harness.fetch(origin + cpath)
    if status != 200:
        result.fail("twins", f"{cpath} answered {status}")
    else:
        try:
            rows = [r for r in csv.reader(io.StringIO(body.decode("utf-8-sig"))) if r]
        except (UnicodeDecodeError, csv.Error) as e:
            result.fail("twins", f"{cpath} is not UTF-8 CSV: {e}")
            rows = None
        if rows is not None and len(rows) < 2:
            result.fail("twins", f"{cpath} has {len(rows)} line(s): a header and at least one row are expected")


def check_chart_links(result, origin, chart_links, page_url):
    links = [(href, urllib.parse.urljoin(page_url, href)) for href in sorted(set(chart_links))]
    links = [(h, u) for h, u in links if _same_origin(u, origin)]  # the others failed check 2
    # Fetched a few at a time: a PNG is rendered on request.
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda link: harness.fetch(link[1], timeout=60), links))
    for (href, url), (status, _, body) in zip(links, answers):
        if status != 200:
            result.fail("twins", f"chart link {href} answered {status}")
        elif urllib.parse.urlsplit(url).path.endswith(".svg"):
            try:
                root = ET.fromstring(body)
                if root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
                    result.fail("twins", f"chart link {href}: root element is {root.tag}, not svg")
            except ET.ParseError as e:
                result.fail("twins", f"chart link {href} is not XML: {e}")
        elif not body.startswith(PNG_SIGNATURE):
            result.fail("twins", f"chart link {href} is not a PNG (starts {body[:8]!r})")


def near(body, position, width=70):
    """The text before a (line, column) of an XML parse error, where the fault usually is."""
    line, column = position
    lines = body.decode("utf-8", "replace").splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[max(0, column - width):column + 10]


def check_feed(result, origin, path):
    status, headers, body = harness.fetch(origin + path)
    if status != 200:
        result.fail("load", f"{path} answered {status}")
        return
    ctype = headers.get("content-type", "")
    if "atom+xml" not in ctype and "xml" not in ctype:
        result.fail("feed", f"content-type is {ctype!r}, not application/atom+xml")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        result.fail("feed", f"not XML: {e}: …{near(body, e.position)}…")
        return
    if root.tag != "{%s}feed" % ATOM:
        result.fail("feed", f"root element is {root.tag}, not an Atom <feed>")
        return
    for child in ("id", "title", "updated"):
        if root.find("{%s}%s" % (ATOM, child)) is None:
            result.fail("feed", f"the feed has no <{child}>")
    entries = root.findall("{%s}entry" % ATOM)
    result.note(f"{len(entries)} entries")
    attrs = [(el.tag.split("}")[-1], k, v) for el in root.iter() for k, v in el.attrib.items()]
    check_urls(result, origin, {"attrs": attrs, "styles": [], "sheets": []}, "feed")


def fill_and_submit(result, page, origin):
    """Check 3's form: fill the first form's first text input or select, submit it without
    JavaScript (with its submit button, or Enter in a text input), and check where it lands."""
    # The page's own form: the first in <main> (a site-wide search form in the header comes before it).
    form = page.locator("main form").first
    if form.count() == 0:
        form = page.locator("form").first
    if form.count() == 0:
        result.fail("form", "no <form> on the page")
        return
    method = (form.get_attribute("method") or "get").lower()
    if method != "get":
        result.fail("form", f"the first form's method is {method}, not GET")
        return
    field = form.locator(
        "select, textarea, input:not([type]), input[type=text], input[type=search], input[type=number]").first
    if field.count() == 0:
        result.fail("form", "the first form has no text input or select to fill")
        return
    name = field.get_attribute("name")
    if not name:
        result.fail("form", "the first field of the first form has no name")
        return
    tag = field.evaluate("e => e.tagName.toLowerCase()")
    if tag == "select":
        options = field.evaluate("e => [...e.options].map(o => [o.value, o.selected])")
        if not options:
            result.fail("form", f"select {name} has no option")
            return
        pick = next((v for v, sel in options if not sel and v), options[0][0])
        field.select_option(value=pick)
        value = pick
    else:
        typ = (field.get_attribute("type") or "text").lower()
        value = field.input_value() or (field.get_attribute("min") or "2020") if typ == "number" else "syr"
        field.fill(value)
    submit = form.locator("button:not([type]), button[type=submit], input[type=submit]").first
    try:
        with page.expect_navigation(timeout=TIMEOUT_MS) as nav:
            if submit.count() > 0:
                submit.click()
            elif tag != "select":
                field.press("Enter")
            else:
                result.fail("form", "the form has a select and no submit button: it cannot be sent without JavaScript")
                return
        response = nav.value
    except PlaywrightError as e:
        result.fail("form", f"submitting did not navigate: {e.message.splitlines()[0]}")
        return
    status = response.status if response else None
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query, keep_blank_values=True)
    if status != 200:
        result.fail("form", f"the form led to {page.url[len(origin):]} with status {status}")
    if value not in query.get(name, []):
        result.fail("form", f"the form led to {page.url[len(origin):]}, which does not carry {name}={value}")
    if page.locator("h1").count() == 0:
        result.fail("form", f"the form led to {page.url[len(origin):]}, which has no <h1>")
    if not any(f.startswith("[form]") for f in result.failures):
        result.note(f"form: {name}={value} -> {page.url[len(origin):]} ({status})")


def test_page(result, origin, path, ctx, axe_source, shots):
    """All the checks of one HTML page type; ctx holds the three contexts and their recorders."""
    url = origin + path
    spec = result.spec
    phases = []
    clock = [time.monotonic()]

    def phase(name):
        now = time.monotonic()
        phases.append(f"{name} {now - clock[0]:.1f} s")
        clock[0] = now

    # 1. With JavaScript.
    page = ctx["js"].new_page()
    rec = ctx["js_rec"]
    rec.watch(page)
    response = goto(page, url)
    if isinstance(response, Exception):
        status, _, _ = harness.fetch(url)
        if status != 200:
            result.fail("load", f"status {status}")
        else:
            result.fail("load", f"could not load: {response.message.splitlines()[0]}")
        page.close()
        rec.take()
        return
    if response is None or response.status != 200:
        result.fail("load", f"status {response.status if response else None}")
        page.close()
        rec.take()
        return
    ctype = response.headers.get("content-type", "")
    if "text/html" not in ctype:
        result.fail("load", f"content-type is {ctype!r}, not text/html")
    page.wait_for_timeout(100)  # late console messages
    foreign, console, errors = rec.take()
    result.foreign_requests(foreign, "")
    for m in console:
        if "ERR_BLOCKED_BY_CLIENT" in m:
            continue  # a foreign request aborted above: a failure already
        if m.startswith("Failed to load resource: the server responded with a status") and any(" answered " in c for c in console):
            continue  # said better by the line naming the resource
        result.fail("console", m[:300])
    for e in errors:
        result.fail("pageerror", e[:300])

    # 2. URLs in attributes and stylesheets.
    check_urls(result, origin, page.evaluate(COLLECT_JS), "page")

    with_js = page.evaluate(STRUCTURE_JS)
    # The contract: charts, tables, forms.
    for i, s in enumerate(with_js["svgs"]):
        if s["role"] != "img":
            result.fail("charts", f"inline svg {i + 1} has role={s['role']!r}, not img: {s['html']}")
        if not s["title"]:
            result.fail("charts", f"inline svg {i + 1} has no <title>: {s['html']}")
        if not s["desc"]:
            result.fail("charts", f"inline svg {i + 1} has no <desc>: {s['html']}")
    for r in with_js["restyled"]:
        result.fail("charts", f"a page style resizes a chart's text: {r}")
    # A table.data with no data-api is a list with no native API request of the same figures.
    for f in with_js["forms"]:
        if f["method"] != "get":
            result.fail("forms", f"form action={f['action']!r} has method {f['method']}, not GET")
    # 5. Ids and labels.
    for d in with_js["dupIds"]:
        result.fail("ids", f"duplicate id {d}")
    for u in with_js["unlabelled"]:
        result.fail("labels", f"no label: {u}")

    if spec.get("values"):
        check_values(result, origin, page.url, page.evaluate(TABLES_JS))

    phase("load and DOM")
    # 6. Twins, fetched (and the charts' PNGs rendered by the server) while the browser goes on.
    twins = Page(spec)
    twins_job = BACKGROUND.submit(check_twins, twins, origin, path, with_js["chartLinks"], url, spec.get("twins", True))
    # 7. Screenshot at 1280 px.
    try:
        page.screenshot(path=os.path.join(shots, f"{harness.slug(path)}-1280.png"), full_page=True)
    except PlaywrightError as e:
        result.fail("screenshot", f"1280 px: {e.message.splitlines()[0]}")

    phase("screenshot")
    # 4. axe-core.
    try:
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_JS)
    except PlaywrightError as e:
        result.fail("axe", f"axe-core did not run: {e.message.splitlines()[0]}")
        violations = []
    for v in violations:
        line = f"{v['id']} ({v['impact']}, {v['count']} nodes): {v['help']}; at {', '.join(v['targets'])}"
        # heading-order is moderate in axe, but a screen reader's outline of the page is built
        # from it, and every page keeps it: a page that breaks it fails.
        if v["impact"] in ("serious", "critical") or v["id"] in STRICT_AXE_RULES:
            result.fail("axe", line)
        else:
            result.note("axe " + line)
    page.close()
    foreign, console, errors = rec.take()  # axe's own noise is not the page's
    result.foreign_requests(foreign, " (after load)")

    phase("axe")
    # 3. Without JavaScript.
    page = ctx["nojs"].new_page()
    response = goto(page, url)
    if isinstance(response, Exception) or response is None or response.status != 200:
        result.fail("nojs", f"did not load without JavaScript: {response}")
    else:
        no_js = page.evaluate(STRUCTURE_JS)
        if no_js["h1"] == 0:
            result.fail("nojs", "no <h1> without JavaScript")
        charts = lambda s: [c for c in s["svgs"] if c["role"] == "img"]  # noqa: E731
        if len(charts(no_js)) < len(charts(with_js)):
            result.fail("nojs", f"{len(charts(no_js))} charts without JavaScript, {len(charts(with_js))} with it")
        if len(no_js["tables"]) < len(with_js["tables"]):
            result.fail("nojs", f"{len(no_js['tables'])} data tables without JavaScript, {len(with_js['tables'])} with it")
        result.note(f"{len(charts(no_js))} charts, {len(no_js['tables'])} data tables, {len(no_js['forms'])} forms without JavaScript")
        if spec.get("form"):
            fill_and_submit(result, page, origin)
    page.close()
    foreign, _, _ = ctx["nojs_rec"].take()
    result.foreign_requests(foreign, " without JavaScript")

    phase("no JavaScript")
    # 7. At 360 px: screenshot, no horizontal scroll, captions within their tables' boxes.
    page = ctx["narrow"].new_page()
    ctx["narrow_rec"].watch(page)
    response = goto(page, url)
    if isinstance(response, Exception) or response is None or response.status != 200:
        result.fail("narrow", f"did not load at 360 px: {response}")
    else:
        sw, iw, wide = page.evaluate(WIDE_JS)
        if sw > iw + 1:
            result.fail("narrow", f"horizontal scroll at 360 px: scrollWidth {sw} > innerWidth {iw}; "
                        f"wider than the window: {', '.join(wide) or 'no element (a margin?)'}")
        for c in page.evaluate(CAPTIONS_JS):
            result.fail("narrow", f"a table's caption runs out of its scroll box at 360 px: {c}")
        try:
            page.screenshot(path=os.path.join(shots, f"{harness.slug(path)}-360.png"), full_page=True)
        except PlaywrightError as e:
            result.fail("screenshot", f"360 px: {e.message.splitlines()[0]}")
    page.close()
    foreign, console, errors = ctx["narrow_rec"].take()
    result.foreign_requests(foreign, " at 360 px")

    phase("360 px")
    twins_job.result()
    result.failures += twins.failures
    phase(f"then twins and {len(set(with_js['chartLinks']))} chart files")
    result.note("time: " + ", ".join(phases))


def contexts(browser, origin):
    """The three contexts every page is loaded in, each with its Recorder."""
    ctx = {
        "js": browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True),
        "nojs": browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False),
        "narrow": browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=1),
    }
    for name in ("js", "nojs", "narrow"):
        ctx[name].set_default_timeout(TIMEOUT_MS)
        ctx[name + "_rec"] = Recorder(ctx[name], origin)
    return ctx


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[], metavar="PATH",
                    help="test only this page type (its path as listed, or as resolved); repeatable")
    ap.add_argument("--screenshots", metavar="DIR", help="where the screenshots go (default: a new temporary directory)")
    ap.add_argument("--base-url", metavar="URL", help="test this running server instead of starting one")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the notes of passing pages too")
    args = ap.parse_args()

    if not os.path.exists(AXE):
        sys.exit(f"error: {os.path.relpath(AXE, harness.REPO)} is missing: run `npm ci` (or `npm install --no-package-lock`) in tests/browser")
    with open(AXE, encoding="utf-8") as f:
        axe_source = f.read()
    shots = args.screenshots or tempfile.mkdtemp(prefix="passage-screenshots-")
    os.makedirs(shots, exist_ok=True)

    started = time.monotonic()
    results = []
    with harness.server(args.base_url) as origin, sync_playwright() as pw:
        browser = harness.launch_chromium(pw)
        ctx = contexts(browser, origin)
        for spec in harness.PAGES:
            result = Page(spec)
            t = time.monotonic()
            try:
                path = harness.resolve(spec, origin)
            except ValueError as e:
                path = None
                if not args.only or spec["path"] in args.only:
                    result.fail("resolve", str(e))
                    results.append(result)
                    print(f"FAIL {spec['path']}\n       {result.failures[0]}", flush=True)
            if path is None or (args.only and spec["path"] not in args.only and path not in args.only):
                continue
            result.path = path
            try:
                if spec.get("feed"):
                    check_feed(result, origin, path)
                else:
                    test_page(result, origin, path, ctx, axe_source, shots)
            except PlaywrightError as e:
                result.fail("harness", f"Playwright: {e.message.splitlines()[0]}")
            result.seconds = time.monotonic() - t
            results.append(result)
            mark = "ok  " if not result.failures else "FAIL"
            print(f"{mark} {path}  ({len(result.failures)} failures, {result.seconds:.1f} s)", flush=True)
            for f in result.failures:
                print(f"       {f}")
            if args.verbose or result.failures:
                for n in result.notes:
                    print(f"       note: {n}")
        browser.close()

    failed = [r for r in results if r.failures]
    total = sum(len(r.failures) for r in results)
    print()
    print(f"{len(results)} page types, {len(results) - len(failed)} passed, {len(failed)} failed "
          f"({total} failures) in {time.monotonic() - started:.0f} s")
    print(f"screenshots: {shots}")
    if not results:
        print("error: --only matched no page type", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
