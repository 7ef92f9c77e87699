"""How long the editor waits: build time with small and huge libraries, and serve rebuilds.

    .venv/bin/python bench/references.py [--runs 5]

Each build is a fresh `mkdocs build` process on a fresh copy of the project (cold: no .cache, no
state from an earlier run). Variants, all building the same pages:
  a  the site as it is (references.bib, 27 entries)
  b  a synthetic library of 2,000 / 10,000 entries that also holds the cited ones
  c  citation processing switched off (no mkdocs-bibtex, no citation hooks; [@key] stays text)
  d  10,000 entries through mkdocs-bibtex alone (the citation layer's hook removed), once, to compare
Then `mkdocs serve`: the time from saving references.bib to the served page showing the change.
Prints medians and the ratios b/a and a/c. Not a test: the machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ["data", "docs", "hooks", "includes", "overrides", "mkdocs.yml", "references.bib"]
CITATION_HOOKS = ["citation_checks", "citation_marks", "citation_labels", "references_heading", "bibliography"]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")

WORDS = ("running pain spine disc lumbar trial cohort review adults load exercise walking "
         "imaging outcome disability recovery training injury athletes prevalence").split()


def synthetic_entry(i: int, rng: random.Random) -> str:
    """A journal article as a reference manager exports it: 6 authors, keywords, a short abstract."""
    authors = " and ".join(f"Author{i}x{j}, {chr(65 + j)}. {chr(66 + j)}." for j in range(6))
    title = " ".join(rng.choice(WORDS) for _ in range(12)).capitalize()
    abstract = " ".join(rng.choice(WORDS) for _ in range(60))
    return (f"@article{{synthetic{i:05d}entry,\n  author = {{{authors}}},\n  title = {{{title}}},\n"
            f"  journal = {{Journal of {rng.choice(WORDS).capitalize()} Research}},\n  year = {{{1990 + i % 35}}},\n"
            f"  volume = {{{i % 60}}},\n  pages = {{{i % 900}--{i % 900 + 12}}},\n"
            f"  doi = {{10.9999/synthetic.{i}}},\n  keywords = {{{', '.join(rng.sample(WORDS, 4))}}},\n"
            f"  abstract = {{{abstract}}},\n}}\n")


def library(size: int) -> str:
    """`size` entries: the site's own references plus synthetic ones."""
    own = (ROOT / "references.bib").read_text(encoding="utf-8")
    own_count = len(re.findall(r"^@\w+\s*\{", own, re.M))
    rng = random.Random(size)
    return own + "\n" + "".join(synthetic_entry(i, rng) for i in range(size - own_count))


def project(dest: Path, bib: str | None = None, citations_off: bool = False, layer_off: bool = False) -> Path:
    dest.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    if bib is not None:
        (dest / "references.bib").write_text(bib, encoding="utf-8")
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    if citations_off:
        config = re.sub(r"\n  - bibtex:\n(?:      .*\n)+", "\n", config)
        for hook in CITATION_HOOKS:
            config = config.replace(f"  - hooks/{hook}.py\n", "")
    if layer_off:
        config = config.replace("  - hooks/citation_checks.py\n", "")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def timed_build(folder: Path) -> float:
    shutil.rmtree(folder / ".cache", ignore_errors=True)
    shutil.rmtree(folder / "site", ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=folder, env=ENV,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"build failed in {folder}:\n{result.stdout}{result.stderr}")
    return elapsed


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def serve_rebuilds(folder: Path, runs: int) -> list[float]:
    """Seconds from writing references.bib to the served page showing the edit."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/run-walk-trial/"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=folder, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    times = []
    try:
        deadline = time.monotonic() + 60
        while "ASTEROID" not in fetch(url):
            if time.monotonic() > deadline:
                sys.exit("mkdocs serve did not start")
            time.sleep(0.1)
        bib = folder / "references.bib"
        original = bib.read_text(encoding="utf-8")
        for run in range(runs):
            marker = f"benchmark edit {run}"  # lower case: titles are sentence-cased
            bib.write_text(original.replace("the {ASTEROID} randomised controlled trial",
                                            f"the {{ASTEROID}} randomised controlled trial {marker}", 1))
            start = time.perf_counter()
            while marker not in fetch(url):
                if time.perf_counter() - start > 30:
                    sys.exit("the served page never changed")
                time.sleep(0.01)
            times.append(time.perf_counter() - start)
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-references-"))
    try:
        variants = {
            "a  references.bib as is (27 entries)": project(work / "a"),
            "b  2,000-entry library": project(work / "b2k", library(2000)),
            "b  10,000-entry library": project(work / "b10k", library(10000)),
            "c  citation processing off": project(work / "c", citations_off=True),
        }
        plugin_alone = project(work / "d", library(10000), layer_off=True)
        size = (work / "b10k" / "references.bib").stat().st_size
        print(f"Cold `mkdocs build` wall time, median of {args.runs} runs (10,000-entry file: {size / 1e6:.1f} MB)")
        medians = {}
        for round_ in range(args.runs):  # interleaved, so drift in machine load hits every variant alike
            for name, folder in variants.items():
                medians.setdefault(name, []).append(timed_build(folder))
        for name, times in medians.items():
            medians[name] = statistics.median(times)
            print(f"  {name:42} {medians[name]:6.2f} s")
        a = medians["a  references.bib as is (27 entries)"]
        c = medians["c  citation processing off"]
        print(f"  ratio b/a, 2,000 entries:  {medians['b  2,000-entry library'] / a:.2f}  (target <= 1.5)")
        print(f"  ratio b/a, 10,000 entries: {medians['b  10,000-entry library'] / a:.2f}  (target <= 1.5)")
        print(f"  ratio a/c:                 {a / c:.2f}  (target <= 1.25)")
        d = timed_build(plugin_alone)  # once: it is slow, and only here for comparison
        print(f"  d  10,000 entries, mkdocs-bibtex alone (1 run) {d:6.2f} s = {d / a:.1f} x a")
        rebuilds = serve_rebuilds(variants["a  references.bib as is (27 entries)"], args.runs)
        print(f"`mkdocs serve`: save references.bib -> served page changed, median of {len(rebuilds)}: "
              f"{statistics.median(rebuilds):.2f} s (min {min(rebuilds):.2f}, max {max(rebuilds):.2f}; target < 1 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
