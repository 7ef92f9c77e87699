#!/usr/bin/env python3
"""Phone speed and quality, side by side (not a test): Lighthouse 12.2.3 mobile over every page,
for this site and for the same pages built with MkDocs + Material alone, in one run.

    .venv/bin/python bench/lighthouse.py                       # every page, 3 runs each (~35 min)
    .venv/bin/python bench/lighthouse.py --runs 1 --page run-walk-trial/   # one page, while iterating

Builds (a) the site and (m) the same pages with MkDocs + Material alone (bench/baselines.py: no
plugin but search, no hook, no extra CSS or JavaScript), each for its own loopback port, serves
both with gzip like a real host and runs Lighthouse's default mobile mode (simulated slow 4G, 4x
slower CPU) on Debian's chromium. Runs are interleaved (m then a for each page, round after round)
so that load from other work on the machine hits both alike; total blocking time is CPU-bound and
still moves with that load, so read the ratio a/m, not the absolute figure. Prints and writes to
bench/lighthouse-report.md the medians per page.

Targets for a (issue 19): Performance >= 95; total blocking time <= 3 x m's; largest contentful
paint <= 1.2 x m's; cumulative layout shift <= 0.05; Accessibility, Best Practices and SEO 100; no
request to another origin. First-view bytes and elements are reported beside m's (no target: these
pages carry more text). The load average at the start and end of the run goes into the report.
Needs Node 20 and npm (Lighthouse 13 needs Node 22): Lighthouse is installed once into
bench/.lighthouse/ from the npm registry.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import plain_project

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # the project's packages, installed or not
from backpain_site.features.lean_assets import shrink_site

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LIGHTHOUSE_VERSION = "12.2.3"
PREFIX = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
REPORT = ROOT / "bench" / "lighthouse-report.md"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = CATEGORIES + ["tbt_ms", "lcp_ms", "cls", "bytes", "requests", "dom"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
TBT_RATIO = 3.0
LCP_RATIO = 1.2
CLS_MAX = 0.05
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")
LOAD_AVERAGES: list[str] = []  # the machine's 1-minute load average at the start and end of a run
CHROME_FLAGS = "--headless=new --no-sandbox --disable-background-networking --disable-component-update"


def pages() -> list[str]:
    """Site URLs of every page, from docs/ (directory URLs)."""
    urls = []
    for md in sorted(DOCS.rglob("*.md")):
        parts = list(md.relative_to(DOCS).with_suffix("").parts)
        if parts[-1] == "index":
            parts = parts[:-1]
        urls.append("/".join(parts) + ("/" if parts else ""))
    return urls


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for clients that accept it (as GitHub Pages does)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects "/dir" to "/dir/"
            path = path / "index.html"
        if (
            path.suffix not in COMPRESSIBLE
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=9)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    if not shutil.which("npm"):
        sys.exit("npm is needed to install Lighthouse")
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(PREFIX),
            "--no-audit",
            "--no-fund",
            "--no-save",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
    )


def build(project: Path, out: Path, url: str, strict: bool) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=url)
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "--site-dir",
        str(out),
        "--config-file",
        str(project / "mkdocs.yml"),
    ]
    subprocess.run(command + (["--strict"] if strict else []), cwd=project, env=env, check=True)


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}/", server


def run_lighthouse(url: str, out: Path, chrome: str) -> dict:
    env = dict(os.environ, CHROME_PATH=chrome)
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    return read_report(out)


def read_report(out: Path) -> dict:
    """The figures this benchmark reports, from one Lighthouse JSON report."""
    report = json.loads(out.read_text(encoding="utf-8"))
    url = report["requestedUrl"]
    audits = report["audits"]
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    requests = audits["network-requests"]["details"]["items"]
    scores["bytes"] = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") != "Image")
    scores["requests"] = len(requests)
    scores["lcp_ms"] = audits["largest-contentful-paint"]["numericValue"]
    scores["tbt_ms"] = audits["total-blocking-time"]["numericValue"]
    scores["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    scores["dom"] = audits["dom-size"]["numericValue"]
    origin = "/".join(url.split("/")[:3])  # http://127.0.0.1:PORT
    scores["foreign"] = sorted({r["url"] for r in requests if not r["url"].startswith((origin + "/", "data:"))})
    failing = [
        f"{c}: {a['id']}"
        for c in CATEGORIES[1:]
        for a in (audits[ref["id"]] for ref in report["categories"][c]["auditRefs"])
        if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    scores["failing"] = failing
    return scores


def median(runs: list[dict]) -> dict:
    result = {k: statistics.median(r[k] for r in runs) for k in METRICS}
    result["foreign"] = sorted({u for r in runs for u in r["foreign"]})
    result["failing"] = sorted({f for r in runs for f in r["failing"]})
    return result


def verdict(a: dict, m: dict) -> list[str]:
    """What a misses of its targets, as short phrases (empty: every target met)."""
    missed = [f"{c} {a[c]:g} < {t}" for c, t in TARGETS.items() if a[c] < t]
    if a["tbt_ms"] > TBT_RATIO * max(m["tbt_ms"], 1):
        missed.append(f"TBT {a['tbt_ms'] / max(m['tbt_ms'], 1):.2f} x m > {TBT_RATIO}")
    if a["lcp_ms"] > LCP_RATIO * m["lcp_ms"]:
        missed.append(f"LCP {a['lcp_ms'] / m['lcp_ms']:.2f} x m > {LCP_RATIO}")
    if a["cls"] > CLS_MAX:
        missed.append(f"CLS {a['cls']:.3f} > {CLS_MAX}")
    if a["foreign"]:
        missed.append("requests to other origins")
    return missed


def line(name: str, r: dict) -> str:
    return (
        f"{name}: perf {r['performance']:g}, TBT {r['tbt_ms']:.0f} ms, LCP {r['lcp_ms']:.0f} ms, CLS {r['cls']:.3f}, "
        f"{r['bytes'] / 1024:.1f} KB, {r['dom']:g} elements, a11y {r['accessibility']:g}, "
        f"BP {r['best-practices']:g}, SEO {r['seo']:g}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", action="append", help="only this page (site URL such as run-walk-trial/; repeatable)")
    parser.add_argument("--no-baseline", action="store_true", help="skip Material alone (quicker look)")
    parser.add_argument("--keep", type=Path, help="keep every Lighthouse JSON report in this folder")
    parser.add_argument(
        "--summarise",
        type=Path,
        metavar="FOLDER",
        help="run nothing: report the medians of the JSON reports a --keep run left in FOLDER "
        "(pages with reports for both m and a; for a run stopped early)",
    )
    args = parser.parse_args()
    if args.summarise:
        return summarise(args.summarise)
    chrome = shutil.which("chromium") or "/usr/bin/chromium"
    ensure_lighthouse()
    LOAD_AVERAGES.append(f"{os.getloadavg()[0]:.1f} ({datetime.datetime.now(datetime.UTC):%H:%M} UTC)")
    selected = [p if p in ("", "/") else p.strip("/") + "/" for p in args.page] if args.page else pages()
    selected = ["" if p == "/" else p for p in selected]
    variants = ["a"] if args.no_baseline else ["m", "a"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        servers, bases = [], {}
        try:
            for variant in variants:
                project = ROOT if variant == "a" else plain_project(tmp / "m-project")
                site = tmp / f"site-{variant}"
                # Served first, then built for that address (canonical links, copy-link buttons).
                base, server = serve(site)
                servers.append(server)
                build(project, site, base, strict=variant == "a")
                if variant == "a":
                    # Our scripts and stylesheet as they are published: comments and indentation out
                    # (lean_assets; the build pipeline calls it at post_build; doing it twice changes nothing).
                    shrink_site(site)
                bases[variant] = base
            runs: dict = {}
            for round_ in range(args.runs):  # interleaved: m and a of each page back to back
                for page in selected:
                    for variant in variants:
                        out = tmp / "lh.json"
                        if args.keep:
                            args.keep.mkdir(parents=True, exist_ok=True)
                            out = args.keep / f"{variant}-{key_of(page)}-{round_ + 1}.json"
                        result = run_lighthouse(bases[variant] + page, out, chrome)
                        runs.setdefault((page, variant), []).append(result)
                        print(
                            f"  run {round_ + 1} /{page} {variant}: perf {result['performance']}, "
                            f"TBT {result['tbt_ms']:.0f} ms",
                            flush=True,
                        )
        finally:
            for server in servers:
                server.shutdown()
    LOAD_AVERAGES.append(f"{os.getloadavg()[0]:.1f} ({datetime.datetime.now(datetime.UTC):%H:%M} UTC)")
    return report(runs, selected, variants, args.runs, write=bool("m" in variants and not args.page))


def key_of(page: str) -> str:
    return page.strip("/").replace("/", "-") or "home"


def summarise(folder: Path) -> int:
    runs: dict = {}
    for page in pages():
        for variant in ("m", "a"):
            # "m-mechanisms-1.json", not "m-mechanisms-discs-1.json"
            for path in sorted(folder.glob(f"{variant}-{key_of(page)}-[0-9]*.json")):
                runs.setdefault((page, variant), []).append(read_report(path))
    done = [p for p in pages() if (p, "m") in runs and (p, "a") in runs]
    counts = sorted({min(len(runs[(p, "m")]), len(runs[(p, "a")])) for p in done})
    print(f"{len(done)} of {len(pages())} pages, {counts} run(s) each")
    return report(runs, done, ["m", "a"], min(counts) if counts else 0, write=True)


def report(runs: dict, selected: list[str], variants: list[str], count: int, write: bool) -> int:
    rows = []
    for page in selected:
        a = median(runs[(page, "a")])
        m = median(runs[(page, "m")]) if "m" in variants else None
        rows.append((page, a, m))
        print(f"/{page}")
        if m:
            print("  " + line("m (Material alone)", m))
        print("  " + line("a (this site)     ", a))
        if m:
            missed = verdict(a, m)
            print(
                f"  a/m: TBT {a['tbt_ms'] / max(m['tbt_ms'], 1):.2f}, LCP {a['lcp_ms'] / m['lcp_ms']:.2f}, "
                f"bytes {a['bytes'] / m['bytes']:.2f}; "
                + ("meets every target" if not missed else "misses: " + "; ".join(missed))
            )
        if a["failing"]:
            print("  failing audits: " + ", ".join(a["failing"]))
    if write:
        write_report(rows, count)
    return 0 if all(m and not verdict(a, m) for _, a, m in rows) else 1


def write_report(rows, runs: int) -> None:
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    chrome = subprocess.run(
        [shutil.which("chromium") or "chromium", "--version"], capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "# Lighthouse benchmark: this site (a) beside MkDocs + Material alone (m)",
        "",
        f"Lighthouse {LIGHTHOUSE_VERSION}, mobile (simulated slow 4G, 4x CPU slowdown), {chrome}, Node {node}.",
        f"Both sites served locally with gzip by `bench/lighthouse.py`, median of {runs} runs per page and "
        f"site, m and a interleaved; measured {datetime.date.today().isoformat()} on a shared 2-core machine "
        "(total blocking time moves with the machine's load: compare a with m, not with other days).",
        "Transferred = bytes over the network on a first view (empty cache), images excluded.",
        f"Load average (1 min) at the start and end of the run: {LOAD_AVERAGES or 'not recorded'}.",
        f"Targets for a: Performance ≥ {TARGETS['performance']}, TBT ≤ {TBT_RATIO:g} × m, LCP ≤ {LCP_RATIO:g} × m, "
        f"CLS ≤ {CLS_MAX:g}, Accessibility, Best Practices and SEO 100, no request to another origin "
        "(bytes and elements: no target).",
        "",
        "| page | Perf m | Perf a | TBT m (ms) | TBT a (ms) | TBT a/m | LCP m (ms) | LCP a (ms) | LCP a/m | CLS a | KB m | KB a | elements m | elements a | A11y / BP / SEO a | meets targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for page, a, m in rows:
        missed = verdict(a, m)
        lines.append(
            f"| `/{page}` | {m['performance']:g} | {a['performance']:g} | {m['tbt_ms']:.0f} | {a['tbt_ms']:.0f} "
            f"| {a['tbt_ms'] / max(m['tbt_ms'], 1):.2f} | {m['lcp_ms']:.0f} | {a['lcp_ms']:.0f} "
            f"| {a['lcp_ms'] / m['lcp_ms']:.2f} | {a['cls']:.3f} | {m['bytes'] / 1024:.1f} | {a['bytes'] / 1024:.1f} "
            f"| {m['dom']:g} | {a['dom']:g} "
            f"| {a['accessibility']:g} / {a['best-practices']:g} / {a['seo']:g} "
            f"| {'yes' if not missed else 'no: ' + '; '.join(missed)} |"
        )
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
