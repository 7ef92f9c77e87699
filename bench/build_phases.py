"""Where a build's time goes, by MkDocs event and hook/plugin: this site against Material alone.

    .venv/bin/python bench/build_phases.py

Builds the same pages in this one process (so imports are paid by the first build only, which is
m): m (MkDocs + Material alone, bench/baselines.py), a cold (the real site, no .cache/) and a warm
(the same copy again in the same process: its in-memory caches too, as a `mkdocs serve` rebuild
has them). Then, in a second process (m first again, for the imports), a+: a copy whose .cache/ a
`mkdocs build` left, with nothing in memory, as `mkdocs build` sees it. Times config loading, every
event handler and Markdown rendering. One run each: read it for proportions, not exact figures
(and a profiler such as pyinstrument for what happens inside a handler). Not a test.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mkdocs import plugins
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.structure import pages

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines import plain_project, real_project

spent: collections.Counter = collections.Counter()


def timed_run_event(self, name, item=None, **kwargs):
    for method in self.events[name]:
        self._current_plugin = self._event_origins.get(method, "<unknown>")
        start = time.perf_counter()
        result = method(**kwargs) if item is None else method(item, **kwargs)
        if item is not None and result is not None:
            item = result
        spent[f"{name}: {getattr(method, '__module__', '?')}"] += time.perf_counter() - start
    self._current_plugin = None
    return item


def timed_each(original):
    """Time every feature's step (backpain_site/kernel/pipeline.py): "page_content" totals show the whole
    pipeline per event; these rows split it by feature (tree steps run inside Markdown to HTML)."""

    def each(self, method):
        for step in original(self, method):
            label = f"  feature {type(step.__self__).__name__}.{method}"

            def timed(*args, _step=step, _label=label, **kwargs):
                start = time.perf_counter()
                try:
                    return _step(*args, **kwargs)
                finally:
                    spent[_label] += time.perf_counter() - start

            yield timed

    return each


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
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000/")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as bench/build.py: bytecode is cached, as for an editor
    plugins.PluginCollection.run_event = timed_run_event
    pages.Page.render = timed_render(pages.Page.render)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from backpain_site.kernel.pipeline import Build

    Build.each = timed_each(Build.each)
    work = Path(tempfile.mkdtemp(prefix="bench-phases-"))
    m = measure(plain_project(work / "m"))  # first: it pays the common imports
    if sys.argv[1:2] == ["--cached"]:  # the second process: a+ only
        project = real_project(work / "a+")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, check=True, capture_output=True)
        print(json.dumps(measure(project)))
        return
    project = real_project(work / "a")
    cold = measure(project)
    warm = measure(project)
    child = subprocess.run(
        [sys.executable, __file__, "--cached"], check=True, capture_output=True, text=True, env=os.environ
    )
    cached = json.loads(child.stdout.strip().splitlines()[-1])
    rows = sorted(set(m) | set(cold) | set(cached), key=lambda k: -(cold.get(k, 0) - m.get(k, 0)))
    print(f"{'a-m':>7} {'m':>7} {'a cold':>7} {'a warm':>7} {'a+':>7}  phase (seconds)")
    for key in rows:
        diff = cold.get(key, 0) - m.get(key, 0)
        if abs(diff) >= 0.005 or cached.get(key, 0) >= 0.005 or key == "whole build":
            print(
                f"{diff:+7.3f} {m.get(key, 0):7.3f} {cold.get(key, 0):7.3f} {warm.get(key, 0):7.3f} "
                f"{cached.get(key, 0):7.3f}  {key}"
            )


if __name__ == "__main__":
    main()
