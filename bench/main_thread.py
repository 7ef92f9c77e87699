#!/usr/bin/env python3
"""Where a phone's main thread spends a page load, by cause, beside MkDocs + Material alone (not a test).

    .venv/bin/python bench/main_thread.py --page run-walk-trial/            # 5 loads each, m and a
    .venv/bin/python bench/main_thread.py --loads 3                          # every page
    .venv/bin/python bench/main_thread.py --page run-walk-trial/ --no-baseline --site DIR   # a built site
    .venv/bin/python bench/main_thread.py --also before=DIR     # another built site alongside (an experiment)

Builds (a) this site as published (lean_assets) and (m) the same pages with MkDocs + Material alone
(bench/baselines.py), serves both with gzip (bench/lighthouse.py's server), and loads each page in
Debian's Chromium through Playwright at a phone's size (412 x 823, as Lighthouse's mobile mode),
with the CPU slowed 4 x (CDP Emulation.setCPUThrottlingRate) and a fresh cache each load, m and a
interleaved. A Chrome performance trace of each load (until 3 s after the load event, so deferred
and idle-time set-up is in) is summed on the page's main thread by self time:

  script   JavaScript compile and run, by script URL (Material's bundle, each of ours, inline)
  style    style recalculation, and how much of it a script forced (read layout before it was due)
  layout   layout, and how much of it a script forced
  parse    HTML and CSS parsing
  paint    pre-paint, paint, layerize, commit
  other    the rest of each task (scheduling, GC outside script, ...)
  blocking the sum over tasks of the part beyond 50 ms (what Lighthouse's TBT counts, from first
           paint on; here from the start of the load, so a little more)

and, steadier than any time (counts that the machine's load does not move): style recalcs and the
elements they restyled, layouts and the objects they laid out. Medians over the loads, in
milliseconds of (throttled) main-thread time, plus elements (after the scripts ran) and bytes
transferred. Load from other work on the machine moves every time: compare a with m of the same
run, never with another run's figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import plain_project
from lighthouse import build, pages, serve

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from backpain_site.features.lean_assets import shrink_site

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = [
    "disabled-by-default-devtools.timeline",
    "devtools.timeline",
    "v8.execute",
    "v8",
    "blink.user_timing",
    "loading",
    "toplevel",
]
STYLE = {"UpdateLayoutTree", "RecalculateStyles", "StyleInvalidatorInvalidationTracking"}
LAYOUT = {"Layout"}
PARSE = {"ParseHTML", "ParseAuthorStyleSheet"}
PAINT = {"PrePaint", "Paint", "Layerize", "UpdateLayer", "UpdateLayerTree", "Commit", "PaintImage", "CompositeLayers"}
SCRIPT = {
    "EvaluateScript",
    "v8.compile",
    "v8.compileModule",
    "v8.run",
    "v8.evaluateModule",
    "FunctionCall",
    "EventDispatch",
    "TimerFire",
    "FireAnimationFrame",
    "FireIdleCallback",
    "RunMicrotasks",
    "v8.callFunction",
    "V8.Execute",
    "MinorGC",
    "MajorGC",
    "V8.GCScavenger",
    "V8.GCIncrementalMarking",
    "ResizeObserverController::Loop",
    "IntersectionObserverController::computeIntersections",
}
PHONE = {"width": 412, "height": 823}


def url_of(event: dict) -> str | None:
    data = event.get("args", {}).get("data") or {}
    url = data.get("url") or data.get("scriptName") or (data.get("stackTrace") or [{}])[0].get("url")
    if not url and event.get("args", {}).get("fileName"):
        url = event["args"]["fileName"]
    return url or None


def short(url: str | None, page_url: str) -> str:
    if not url:
        return "(no URL)"
    if url.split("#")[0] == page_url:
        return "inline"
    return url.rsplit("/", 1)[-1].split("?")[0] or url


def main_thread(trace: list[dict], page_url: str) -> tuple[int, int]:
    """(pid, tid) of the page's renderer main thread: the one that parsed the page's HTML."""
    names = {
        (e["pid"], e["tid"])
        for e in trace
        if e.get("name") == "ParseHTML"
        and ((e.get("args") or {}).get("beginData") or {}).get("url", "").split("#")[0] == page_url
    }
    counts: dict = defaultdict(int)
    for e in trace:
        if (e.get("pid"), e.get("tid")) in names and e.get("ph") == "X":
            counts[(e["pid"], e["tid"])] += 1
    return max(counts, key=lambda thread: counts[thread])


def summarise(trace: list[dict], page_url: str) -> dict[str, float]:
    """Self time by category (ms), script by URL, forced style/layout, blocking time."""
    pid, tid = main_thread(trace, page_url)
    events = sorted(
        (e for e in trace if e.get("pid") == pid and e.get("tid") == tid and e.get("ph") == "X" and "dur" in e),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    totals: dict[str, float] = defaultdict(float)
    stack: list[tuple[dict, float, str | None]] = []  # (event, end, url of the script it runs in)

    def close(until: float) -> None:
        while stack and stack[-1][1] <= until:
            stack.pop()

    self_time: dict[int, float] = {}
    info: list[tuple[dict, str | None, bool]] = []
    for e in events:
        close(e["ts"])
        parent_url = stack[-1][2] if stack else None
        in_script = any(s[0]["name"] in SCRIPT for s in stack)
        url = url_of(e) if e["name"] in SCRIPT else None
        url = url or parent_url
        if stack:
            parent = stack[-1][0]
            self_time[id(parent)] -= e["dur"]
        self_time[id(e)] = e["dur"]
        info.append((e, url, in_script))
        stack.append((e, e["ts"] + e["dur"], url))
        if e["name"] == "RunTask" and not stack[:-1]:
            totals["blocking"] += max(0.0, e["dur"] / 1000 - 50)
            totals["tasks"] += e["dur"] / 1000
    for e, url, in_script in info:
        ms = max(self_time[id(e)], 0) / 1000
        name = e["name"]
        if name in STYLE:
            totals["style"] += ms
            totals["elements restyled"] += (e.get("args") or {}).get("elementCount") or 0
            totals["style recalcs"] += 1
            if in_script:
                totals["style forced by script"] += ms
        elif name in LAYOUT:
            totals["layout"] += ms
            totals["objects laid out"] += ((e.get("args") or {}).get("beginData") or {}).get("dirtyObjects") or 0
            totals["layouts"] += 1
            if in_script:
                totals["layout forced by script"] += ms
        elif name in PARSE:
            totals["parse"] += ms
        elif name in PAINT:
            totals["paint"] += ms
        elif name in SCRIPT or url:
            totals["script"] += ms
            totals["script: " + short(url, page_url)] += ms
        else:
            totals["other"] += ms
    return dict(totals)


def load(browser, url: str, throttle: float) -> dict[str, float]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1.75, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    browser.start_tracing(page=page, categories=CATEGORIES)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(3000)
    trace = json.loads(browser.stop_tracing())
    trace = trace["traceEvents"] if isinstance(trace, dict) else trace
    figures = summarise(trace, url)
    figures["elements"] = page.evaluate("document.getElementsByTagName('*').length")
    figures["KB"] = (
        page.evaluate(
            "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
            ".filter(e => e.initiatorType !== 'img').reduce((n, e) => n + e.transferSize, 0)"
        )
        / 1024
    )
    context.close()
    return figures


def report(page: str, results: dict[str, list[dict]]) -> None:
    keys = sorted({k for runs in results.values() for r in runs for k in r}, key=order)
    print(f"/{page}  (medians of {min(len(r) for r in results.values())} loads; ms of main-thread time, CPU 4x slower)")
    variants = list(results)
    print(f"  {'':34}" + "".join(f"{v:>10}" for v in variants) + ("   a/m" if variants[:2] == ["m", "a"] else ""))
    for key in keys:
        if key.startswith("script: ") and all(
            statistics.median(r.get(key, 0.0) for r in results[v]) < 1 for v in variants
        ):
            continue
        values = [statistics.median(r.get(key, 0.0) for r in results[v]) for v in variants]
        ratio = f"{values[1] / values[0]:6.2f}" if variants[:2] == ["m", "a"] and values[0] >= 1 else ""
        print(f"  {key:34}" + "".join(f"{v:10.0f}" if key != "KB" else f"{v:10.1f}" for v in values) + "  " + ratio)


def order(key: str) -> tuple:
    head = ["tasks", "blocking", "script", "style", "style forced by script", "layout", "layout forced by script"]
    tail = [
        "parse",
        "paint",
        "other",
        "style recalcs",
        "elements restyled",
        "layouts",
        "objects laid out",
        "elements",
        "KB",
    ]
    if key in head:
        return (0, head.index(key), "")
    if key.startswith("script: "):
        return (1, 0, key)
    return (2, tail.index(key) if key in tail else 99, key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument(
        "--page", action="append", help="site URL such as run-walk-trial/ (repeatable; default every page)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip Material alone")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slowdown (default 4, as Lighthouse mobile)")
    parser.add_argument("--site", type=Path, help="use this already built site for a instead of building it")
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="another built site to load alongside, interleaved (an experiment; repeatable)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    selected = [("" if p in ("", "/") else p.strip("/") + "/") for p in args.page] if args.page else pages()
    variants = ["a"] if args.no_baseline else ["m", "a"]
    extra = dict(item.split("=", 1) for item in args.also)
    variants += list(extra)
    chrome = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        tmp = Path(folder)
        servers, bases = [], {}
        try:
            for variant in variants:
                given = Path(extra[variant]) if variant in extra else args.site if variant == "a" else None
                site = given or tmp / f"site-{variant}"
                base, server = serve(site)
                servers.append(server)
                if not given:
                    project = ROOT if variant == "a" else plain_project(tmp / "m-project")
                    build(project, site, base, strict=variant == "a")
                    if variant == "a":
                        shrink_site(site)
                bases[variant] = base
            browser = playwright.chromium.launch(executable_path=chrome, args=["--no-sandbox"])
            results: dict = {p: {v: [] for v in variants} for p in selected}
            for _ in range(args.loads):
                for page in selected:
                    for variant in variants:
                        results[page][variant].append(load(browser, bases[variant] + page, args.throttle))
            browser.close()
        finally:
            for server in servers:
                server.shutdown()
    for page in selected:
        report(page, results[page])
    return 0


if __name__ == "__main__":
    sys.exit(main())
