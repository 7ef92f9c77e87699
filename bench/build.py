#!/usr/bin/env python3
"""Build time side by side (not a test): this site against MkDocs + Material alone and against
MkDocs + Material + mkdocs-bibtex alone, on the same pages, in one run.

    .venv/bin/python bench/build.py            # 5 rounds (about 2 minutes on an idle 2-core machine)
    .venv/bin/python bench/build.py --runs 3

Variants, each a fresh `mkdocs build` process on its own copy of the project (bench/baselines.py):
  m  MkDocs + Material alone (no plugin but search, no hook, no extra CSS/JS, no overrides)
  p  MkDocs + Material + mkdocs-bibtex alone (the site's bibtex settings, Material's footnote tooltips)
  a  the real site, cold: no .cache/ (QR codes, reading levels and compiled templates made afresh)
  a+ the real site with the .cache/ its previous build left (what `make build` usually sees)
Rounds are interleaved (m, p, a, a+, then again), so drift in the machine's load hits each alike.
Wall time is what the editor waits; CPU time (user + system of the build process) moves less when
other work shares the machine, so both are printed. Then `mkdocs serve` on a copy of a: the time
from saving references.bib until the served page shows the edit (polled every 10 ms).
Targets (issue 20): a <= 1.5 x p, a+ <= 0.9 x p, serve rebuild <= p's cold build.
"""

from __future__ import annotations

import argparse
import os
import resource
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import plain_project, real_project

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")
# Python writes and reuses compiled bytecode (__pycache__) as on any editor's machine: a shell that sets
# PYTHONDONTWRITEBYTECODE would make each build of a (whose package is a source tree, unlike p's
# installed plugins) compile its 80 modules again, about 0.1 s that no editor pays.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
SERVE_PAGE = "run-walk-trial/"
BIB_TEXT = "the {ASTEROID} randomised controlled trial"


def timed_build(folder: Path, keep_cache: bool = False) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `mkdocs build` in a fresh process."""
    if not keep_cache:
        shutil.rmtree(folder / ".cache", ignore_errors=True)
    shutil.rmtree(folder / "site", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=folder, env=ENV, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.exit(f"build failed in {folder}:\n{result.stdout}{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux /proc), or 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_rebuilds(folder: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from writing references.bib to the served page showing the edit: wall time, and the
    server process's CPU time over the same span less what it spends idle (polling the files)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{SERVE_PAGE}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=folder,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    times, cpu = [], []
    try:
        deadline = time.monotonic() + 120
        while "ASTEROID" not in fetch(url):
            if time.monotonic() > deadline:
                sys.exit("mkdocs serve did not start")
            time.sleep(0.1)
        bib = folder / "references.bib"
        original = bib.read_text(encoding="utf-8")
        if BIB_TEXT not in original:
            sys.exit(f"references.bib no longer holds {BIB_TEXT!r}: update bench/build.py")
        # What the server spends idle (polling the watched files), to take out of each rebuild's CPU.
        before, start = process_cpu(server.pid), time.perf_counter()
        time.sleep(2.0)
        idle = (process_cpu(server.pid) - before) / (time.perf_counter() - start)
        for run in range(runs):
            marker = f"benchmark edit {run}"  # lower case: titles are sentence-cased
            used = process_cpu(server.pid)
            bib.write_text(original.replace(BIB_TEXT, f"{BIB_TEXT} {marker}", 1), encoding="utf-8")
            start = time.perf_counter()
            while marker not in fetch(url):
                if time.perf_counter() - start > 60:
                    sys.exit("the served page never changed")
                time.sleep(0.01)
            times.append(time.perf_counter() - start)
            cpu.append(process_cpu(server.pid) - used - idle * times[-1])
            time.sleep(1.0)  # let the server settle before the next edit
        bib.write_text(original, encoding="utf-8")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        variants = {
            "m   MkDocs + Material alone": (plain_project(work / "m"), False),
            "p   MkDocs + Material + mkdocs-bibtex alone": (plain_project(work / "p", with_bibtex=True), False),
            "a   this site, cold (no .cache)": (real_project(work / "a"), False),
            "a+  this site, .cache from its last build": (real_project(work / "a+"), True),
        }
        timed_build(variants["a+  this site, .cache from its last build"][0])  # fills its .cache
        print(f"`mkdocs build`, fresh process each, {args.runs} interleaved rounds; medians")
        walls: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}
        for _ in range(args.runs):
            for name, (folder, keep) in variants.items():
                wall, cpu = timed_build(folder, keep_cache=keep)
                walls.setdefault(name, []).append(wall)
                cpus.setdefault(name, []).append(cpu)
        wall = {name: statistics.median(times) for name, times in walls.items()}
        cpu = {name: statistics.median(times) for name, times in cpus.items()}
        print(f"  {'':46} {'wall':>7} {'CPU':>7}")
        for name in variants:
            print(f"  {name:46} {wall[name]:6.2f}s {cpu[name]:6.2f}s")
        m, p, a, warm = (list(variants)[i] for i in range(4))
        print(f"  a/m   {wall[a] / wall[m]:5.2f} wall, {cpu[a] / cpu[m]:5.2f} CPU")
        print(f"  a/p   {wall[a] / wall[p]:5.2f} wall, {cpu[a] / cpu[p]:5.2f} CPU   (target <= 1.5)")
        print(f"  a+/m  {wall[warm] / wall[m]:5.2f} wall, {cpu[warm] / cpu[m]:5.2f} CPU")
        print(f"  a+/p  {wall[warm] / wall[p]:5.2f} wall, {cpu[warm] / cpu[p]:5.2f} CPU   (target <= 0.9)")
        rebuilds, serve_cpus = serve_rebuilds(variants[warm][0], args.runs)
        serve, serve_cpu = statistics.median(rebuilds), statistics.median(serve_cpus)
        print(
            f"`mkdocs serve`: save references.bib -> /{SERVE_PAGE} served with the edit, median of "
            f"{len(rebuilds)}: {serve:.2f} s (min {min(rebuilds):.2f}, max {max(rebuilds):.2f}), server CPU "
            f"{serve_cpu:.2f} s; serve/m = {serve / wall[m]:.2f}; serve/p = {serve / wall[p]:.2f} wall, "
            f"{serve_cpu / cpu[p]:.2f} CPU (target <= 1)"
        )
        load = os.getloadavg()
        print(f"load average during the run: {load[0]:.1f} (1 min), {load[2]:.1f} (15 min) on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
