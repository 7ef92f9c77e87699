#!/usr/bin/env python3
"""Speed and quality benchmark (not a test): Lighthouse 12.2.3, mobile, over every page.

    .venv/bin/python bench/lighthouse.py            # 3 runs a page (default)
    .venv/bin/python bench/lighthouse.py --runs 1   # quicker look

Builds the site for a free loopback port, serves it with gzip like a real host, runs Lighthouse's
default mobile mode (simulated slow 4G and a 4x slower CPU) on Debian's chromium, and writes the
median Performance, Accessibility, Best Practices and SEO scores and the bytes transferred on a
first view (images excluded) per page to bench/lighthouse-report.md. Targets: Accessibility, Best
Practices and SEO 100, Performance >= 95, <= 150 KB transferred.

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

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LIGHTHOUSE_VERSION = "12.2.3"
PREFIX = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
REPORT = ROOT / "bench" / "lighthouse-report.md"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
BUDGET_KB = 150
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")
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
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
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
    subprocess.run(["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", "--no-save",
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)


def build(out: Path, url: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=url)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
                   cwd=ROOT, env=env, check=True)


def run_lighthouse(url: str, out: Path, chrome: str) -> dict:
    env = dict(os.environ, CHROME_PATH=chrome)
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                   env=env, check=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    requests = report["audits"]["network-requests"]["details"]["items"]
    scores["bytes"] = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") != "Image")
    scores["requests"] = len(requests)
    scores["lcp_ms"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    origin = "/".join(url.split("/")[:3])  # http://127.0.0.1:PORT
    scores["foreign"] = sorted({r["url"] for r in requests
                                if not r["url"].startswith((origin + "/", "data:"))})
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    chrome = shutil.which("chromium") or "/usr/bin/chromium"
    ensure_lighthouse()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site, base)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        rows = []
        try:
            for page in pages():
                runs = []
                for i in range(args.runs):
                    runs.append(run_lighthouse(base + page, Path(tmp) / f"lh-{i}.json", chrome))
                median = {k: statistics.median(r[k] for r in runs) for k in CATEGORIES + ["bytes", "requests", "lcp_ms"]}
                median["foreign"] = sorted({u for r in runs for u in r["foreign"]})
                rows.append(("/" + page, median))
                print(f"/{page}: " + ", ".join(f"{k} {median[k]:g}" for k in CATEGORIES)
                      + f", {median['bytes'] / 1024:.1f} KB", flush=True)
        finally:
            server.shutdown()
    write_report(rows, args.runs)
    return 0 if all(ok(m) for _, m in rows) else 1


def ok(m: dict) -> bool:
    return (all(m[c] >= t for c, t in TARGETS.items()) and m["bytes"] <= BUDGET_KB * 1024 and not m["foreign"])


def write_report(rows, runs: int) -> None:
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    chrome = subprocess.run([shutil.which("chromium") or "chromium", "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Lighthouse benchmark",
        "",
        f"Lighthouse {LIGHTHOUSE_VERSION}, mobile (simulated slow 4G, 4x CPU slowdown), {chrome}, Node {node}.",
        f"Site served locally with gzip by `bench/lighthouse.py`; median of {runs} runs per page; "
        f"measured {datetime.date.today().isoformat()} on a 2-core machine.",
        "Transferred = bytes over the network on a first view (empty cache), images excluded.",
        f"Targets: Performance ≥ {TARGETS['performance']}, Accessibility, Best Practices and SEO 100, "
        f"≤ {BUDGET_KB} KB transferred, no request to another origin.",
        "",
        "| page | Performance | Accessibility | Best Practices | SEO | transferred (KB) | requests | LCP (ms) | other origins | meets targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page, m in rows:
        lines.append(f"| `{page}` | {m['performance']:g} | {m['accessibility']:g} | {m['best-practices']:g} | {m['seo']:g} "
                     f"| {m['bytes'] / 1024:.1f} | {m['requests']:g} | {m['lcp_ms']:.0f} | {len(m['foreign'])} "
                     f"| {'yes' if ok(m) else 'no'} |")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
