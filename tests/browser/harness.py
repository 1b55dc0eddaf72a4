"""What the browser tests (run.py) and the page metrics (metrics.py) share: the list of page types, a
`passage serve` of the shared data on a free loopback port, the resolution of the page types whose
path comes from a link on another page, and the launch of the system's Chromium for a closed network.

Nothing here builds passage: the binary is taken from $PASSAGE_BIN (default target/debug/passage,
relative to the repository root).
"""

import contextlib
import email.message
import http.client
import html.parser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))

# The release the tests sync: the shared data's UNHCR files, at this source version.
SOURCE_VERSION = "unhcr=2025.12.1"

# Every page type of `passage serve`. A path in braces is resolved from a link on another page (see
# resolve()); `feed` pages are Atom feeds, parsed as XML rather than loaded in the browser;
# `values` pages have their data tables compared with the native API, number by number; `form`
# pages have their first GET form submitted with JavaScript disabled; an embed (one chart, framed
# for an iframe) has no .json and .csv twins.
PAGES = [
    {"path": "/"},
    {"path": "/map?indicator=refugees&year=2024&role=host", "values": True, "form": True},
    {"path": "/map/incidents?year=2023"},
    {"path": "/countries", "form": True},
    {"path": "/countries/SYR", "values": True},
    {"path": "/countries/DEU", "values": True},
    {"path": "/countries/TUR"},
    {"path": "/indicators"},
    {"path": "/indicators/refugees", "values": True},
    {"path": "/indicators/internally_displaced_share"},
    {"path": "/compacts/gcr"},
    {"path": "/compacts/gcm"},
    {"path": "/compacts/gcm/objectives/8"},
    {"path": "/claims"},
    {"path": "/claims/{first}", "from": "/claims"},
    {"path": "/pledges"},
    {"path": "/pledges/{first}", "from": "/pledges"},
    {"path": "/releases"},
    {"path": "/releases/{active}", "from": "/releases"},
    # A release diffed with itself: the tests' store holds one release, so its tables are empty.
    {"path": "/releases/{active}/diff/{active}", "from": "/releases", "twins": False},
    {"path": "/reports/countries/SYR"},
    {"path": "/reports/compacts/gcm"},
    {"path": "/search?q=syria"},
    {"path": "/negotiation", "form": True},
    {"path": "/negotiation/gcm/adopted"},
    {"path": "/negotiation/gcm/diff?from=adopted&to=adopted"},
    {"path": "/negotiation/votes/a-res-73-195", "form": True},
    {"path": "/compacts/gcm/objectives/20"},
    {"path": "/embed/{first}", "from": "/countries/SYR", "twins": False},
    {"path": "/feeds/releases.atom", "feed": True},
    {"path": "/feeds/verdicts.atom", "feed": True},
    {"path": "/feeds/pledges.atom", "feed": True},
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path():
    return os.environ.get("CHROMIUM", "/usr/bin/chromium")


def launch_chromium(playwright):
    """The system's Chromium, headless, with the flags a closed network needs (Playwright gives it
    a fresh user data directory of its own)."""
    path = chromium_path()
    if not os.path.exists(path):
        sys.exit(f"error: no Chromium at {path} (install Debian's chromium, or set CHROMIUM)")
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


def passage_bin():
    path = os.environ.get("PASSAGE_BIN", "target/debug/passage")
    if not os.path.isabs(path):
        path = os.path.join(REPO, path)
    if not os.access(path, os.X_OK):
        sys.exit(f"error: no passage binary at {path} (build it with `cargo build --bin passage`, or set PASSAGE_BIN)")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def server(base_url=None, log=print):
    """Yield the origin of a `passage serve` of the shared data, synced into a temporary data
    directory with the registry's example pledges; on exit (also on an exception, Ctrl-C or SIGTERM) stop it and remove the directory.
    With base_url, use that server instead and start nothing."""
    if base_url:
        yield base_url.rstrip("/")
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_exit)
    binary = passage_bin()
    data = os.path.join(os.path.dirname(REPO), "shared", "data")
    if not os.path.isdir(data):
        sys.exit("error: the shared data is expected at ../shared/data (beside this repository)")
    tmp = tempfile.mkdtemp(prefix="passage-browser-")
    proc = None
    logfile = os.path.join(tmp, "serve.log")
    try:
        datadir = os.path.join(tmp, "data")
        t = time.monotonic()
        sync = subprocess.run(
            [binary, "sync", "--data-dir", datadir, "--from", "../shared/data", "--source-version", SOURCE_VERSION],
            cwd=REPO, capture_output=True, text=True)
        if sync.returncode != 0:
            sys.exit(f"error: passage sync failed ({sync.returncode}):\n{sync.stdout}{sync.stderr}")
        # The registry's shipped example pledges (marked as examples), so the pledge pages and feed
        # have something to show.
        seed = subprocess.run([binary, "registry", "seed", "--data-dir", datadir], cwd=REPO, capture_output=True, text=True)
        if seed.returncode != 0:
            sys.exit(f"error: passage registry seed failed ({seed.returncode}):\n{seed.stdout}{seed.stderr}")
        log(f"synced the shared data and seeded the registry in {time.monotonic() - t:.1f} s")
        for attempt in range(3):
            port = free_port()
            origin = f"http://127.0.0.1:{port}"
            out = open(logfile, "ab")
            proc = subprocess.Popen(
                [binary, "serve", "--data-dir", datadir, "--addr", f"127.0.0.1:{port}"],
                cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            out.close()
            if _wait_ready(origin, proc):
                break
            _stop(proc)
            proc = None
        if proc is None:
            with open(logfile, errors="replace") as f:
                sys.exit("error: passage serve did not become ready:\n" + f.read()[-4000:])
        log(f"passage serve on {origin}")
        yield origin
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_ready(origin, proc, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(origin + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    return False


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url, headers=None, timeout=30):
    """(status, headers, body bytes) of a GET; an HTTP error status is returned, not raised, and so
    is a failure to get an answer at all, as a status that says so."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
        return f"no answer ({e})", email.message.Message(), b""


class _Links(html.parser.HTMLParser):
    """Every <a href>, and the text of <code> elements inside an element of class `embed`, of an
    HTML page."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []
        self.embeds = []  # candidates from inside class="embed"
        self.stack = []  # (tag, inside_embed)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside = (self.stack[-1][1] if self.stack else False) or "embed" in (a.get("class") or "").split()
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if inside:
                self.embeds.append(a["href"])
        for name in ("src", "data-src"):
            if inside and a.get(name):
                self.embeds.append(a[name])
        if tag not in self.VOID:
            self.stack.append((tag, inside))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            self.embeds.append(data)


def _path_of(href, origin):
    """The path (with query) of a same-origin link, or None."""
    u = urllib.parse.urlsplit(urllib.parse.urljoin(origin + "/", href.strip()))
    o = urllib.parse.urlsplit(origin)
    if (u.scheme, u.netloc) != (o.scheme, o.netloc):
        return None
    return u.path + (("?" + u.query) if u.query else "")


def resolve(page, origin):
    """The path to load for a page type: its own, or for a {…} path, one taken from a link on the
    page named in `from`. Raises ValueError saying why a path could not be found."""
    path = page["path"]
    if "{" not in path:
        return path
    src = page["from"]
    status, _, body = fetch(origin + src)
    if status != 200:
        raise ValueError(f"{src} answered {status}, so {path} has no link to follow")
    links = _Links()
    links.feed(body.decode("utf-8", "replace"))
    prefix = path.split("{")[0]  # "/claims/"
    if path.endswith("{first}") and prefix == "/embed/":
        for cand in links.embeds:
            m = re.search(r"(?:https?://[^/\s\"'<>]+)?(/embed/[^\s\"'<>]+)", cand)
            if m:
                return m.group(1)
        raise ValueError(f"{src} has no /embed/ link (an <a> or <code> inside an element of class embed)")
    candidates = []
    for href in links.hrefs:
        p = _path_of(href, origin)
        if p is None:
            continue
        bare = p.split("?")[0]
        rest = bare[len(prefix):]
        if bare.startswith(prefix) and rest and "/" not in rest and not rest.endswith((".json", ".csv", ".svg", ".png")):
            candidates.append(p)
    if path.count("{active}") == 2:
        # Both ends of a diff: the active release, named by the API.
        status, _, body = fetch(origin + "/api/v1/releases")
        active = [r["id"] for r in json.loads(body).get("releases", []) if r.get("active")] if status == 200 else []
        if not active:
            raise ValueError("/api/v1/releases names no active release")
        return path.replace("{active}", active[0])
    if path.endswith("{active}"):
        status, _, body = fetch(origin + "/api/v1/releases")
        if status != 200:
            raise ValueError(f"/api/v1/releases answered {status}: cannot tell the active release")
        active = [r["id"] for r in json.loads(body).get("releases", []) if r.get("active")]
        if not active:
            raise ValueError("/api/v1/releases names no active release")
        want = prefix + active[0]
        if want not in [c.split("?")[0] for c in candidates]:
            raise ValueError(f"{src} does not link to the active release {want}")
        return want
    if not candidates:
        raise ValueError(f"{src} links to no {prefix}… page")
    return candidates[0]


def twins(path):
    """(PATH.json, PATH.csv) of a page's path; the query string stays on the twin."""
    bare, _, query = path.partition("?")
    if bare == "/":
        bare = "/index"
    q = ("?" + query) if query else ""
    return bare + ".json" + q, bare + ".csv" + q


def slug(path):
    s = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    return s or "index"
