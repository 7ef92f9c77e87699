"""Where a build's time goes, by MkDocs event and hook/plugin, with and without citations.

    .venv/bin/python bench/build_phases.py

Builds the real pages twice in this process (a: as they are; c: citation processing off, as in
bench/references.py), timing config loading, each event handler, and Markdown rendering.
One run each: read it for proportions, not for exact figures. Not a test.
"""
from __future__ import annotations

import collections
import os
import sys
import tempfile
import time
from pathlib import Path

from mkdocs import plugins
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.structure import pages

sys.path.insert(0, str(Path(__file__).resolve().parent))
from references import project  # noqa: E402 - the same a/c copies as the benchmark

spent: collections.Counter = collections.Counter()


def timed_run_event(self, name, item=None, **kwargs):
    for method in self.events[name]:
        start = time.perf_counter()
        result = method(**kwargs) if item is None else method(item, **kwargs)
        if item is not None and result is not None:
            item = result
        spent[f"{name}: {getattr(method, '__module__', '?')}"] += time.perf_counter() - start
    return item


def timed_render(original):
    def render(self, config, files):
        start = time.perf_counter()
        original(self, config, files)
        spent["Markdown to HTML (all pages)"] += time.perf_counter() - start
    return render


def measure(folder: Path) -> dict[str, float]:
    spent.clear()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        start = time.perf_counter()
        config = load_config("mkdocs.yml", site_dir=tempfile.mkdtemp())
        spent["load config (imports plugins and hooks)"] = time.perf_counter() - start
        config.plugins.on_startup(command="build", dirty=False)
        start = time.perf_counter()
        build.build(config)
        spent["whole build"] = time.perf_counter() - start
    finally:
        os.chdir(cwd)
    return dict(spent)


def main() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    plugins.PluginCollection.run_event = timed_run_event
    pages.Page.render = timed_render(pages.Page.render)
    work = Path(tempfile.mkdtemp(prefix="bench-phases-"))
    c = measure(project(work / "c", citations_off=True))  # first: it pays the common imports
    a = measure(project(work / "a"))
    rows = sorted(set(a) | set(c), key=lambda k: -(a.get(k, 0) - c.get(k, 0)))
    print(f"{'seconds':>8} {'a':>7} {'c':>7}  phase (a: citations on, c: off)")
    for key in rows:
        diff = a.get(key, 0) - c.get(key, 0)
        if abs(diff) >= 0.002 or key == "whole build":
            print(f"{diff:+8.3f} {a.get(key, 0):7.3f} {c.get(key, 0):7.3f}  {key}")


if __name__ == "__main__":
    main()
