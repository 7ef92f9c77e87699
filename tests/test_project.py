"""The project is read once per build (issue 20 item 2): backpain_site/kernel/project.py reads every
page, snippet and data file at the start of the build, and every feature, and MkDocs itself (through
the hook's page_read_source), takes them from there."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import ROOT

from backpain_site.kernel import front_matter
from backpain_site.kernel.project import Project

# Run in a subprocess: an in-process `mkdocs build` of the real site with every open() counted.
# Both names are patched (builtins.open, and io.open that pathlib's read_text/read_bytes call), so
# whoever opens a file (this site's code, MkDocs, a plugin) is counted.
COUNTING_BUILD = textwrap.dedent("""
    import builtins, collections, io, json, os, sys
    root, out = sys.argv[1], sys.argv[2]
    os.chdir(root)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    watched = tuple(os.path.join(root, d) + os.sep for d in ("docs", "includes", "data"))
    opened = collections.Counter()
    real_open = io.open

    def counting_open(file, *args, **kwargs):
        try:
            path = os.path.realpath(os.fspath(file))
        except TypeError:  # a file descriptor
            path = ""
        if path.startswith(watched):
            opened[os.path.relpath(path, root)] += 1
        return real_open(file, *args, **kwargs)

    builtins.open = io.open = counting_open
    from mkdocs.commands import build
    from mkdocs.config import load_config
    config = load_config("mkdocs.yml", site_dir=out)
    config.plugins.on_startup(command="build", dirty=False)
    build.build(config)
    print(json.dumps(opened))
""")


def test_each_page_snippet_and_data_file_is_read_once_per_build(tmp_path):
    """Asserts: during one full build of the real site, each docs/**/*.md is opened exactly once, by
    anyone (MkDocs' own read included: it gets the page from the index), and each includes/*.md and
    data/* file exactly once. (Before the index: each page five times by the features, plus MkDocs.)"""
    run = subprocess.run(
        [sys.executable, "-c", COUNTING_BUILD, str(ROOT), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    opened = json.loads(run.stdout.strip().splitlines()[-1])
    files = [p.relative_to(ROOT).as_posix() for folder in ("docs", "includes") for p in (ROOT / folder).rglob("*.md")]
    files += [p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()]
    assert any(f.startswith("docs/") for f in files) and any(f.startswith("data/") for f in files)
    wrong = {f: opened.get(f, 0) for f in sorted(files) if opened.get(f, 0) != 1}
    assert not wrong, f"files not read exactly once in a build (path: times read): {wrong}"


def test_the_index_reads_front_matter_once_with_its_lines_and_what_mkdocs_strips(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "a" / "b.md").write_bytes("\ufeff---\ntitle: B\npublished: 2026-02-30\n---\n\nText [@k]\n".encode())
    (docs / "bad.md").write_bytes(b"---\ntitle: x\n---\n\xff\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.yml").write_text("a: 1\n", encoding="utf-8")
    project = Project(tmp_path, docs)
    page = project.pages["a/b.md"]
    assert page.shown == "docs/a/b.md" and page.text.startswith("---")  # the BOM goes, as MkDocs reads it
    front = page.front_matter
    assert front.fields == {"title": "B", "published": "2026-02-30"} and front.lines == {"title": 2, "published": 3}
    assert front.stripped == 5 == front_matter.front_matter_lines(page.text)
    assert page.body.splitlines()[5] == "Text [@k]"  # lines keep their numbers
    assert page.located("published", "bad") == 'docs/a/b.md:3: front matter field "published": bad'
    assert str(project.pages["bad.md"].problem) == "docs/bad.md:4: the page is not UTF-8 text; save it as UTF-8"
    assert project.data_text("data/x.yml") == "a: 1\n"
    try:
        project.data_text("data/missing.yml")
    except OSError as error:
        assert error.strerror == "No such file or directory"
    else:
        raise AssertionError("a missing data file must raise OSError")
