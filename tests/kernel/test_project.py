"""The project is read once per build (issue 20 item 2): backpain_site/kernel/project.py reads every
page, snippet and data file at the start of the build, and every feature, and MkDocs itself (through
the hook's page_read_source), takes them from there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from bs4 import BeautifulSoup
from conftest import DOCS, ROOT, page_url

from backpain_site.features.care_cards import ADDED_IDS as CARD_IDS
from backpain_site.kernel import front_matter, headings
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


# --- headings and their ids --------------------------------------------------------------------------

# Headings that steps of the build write into a page (not in its Markdown, so not in the index): the
# reference list and the care cards.
WRITTEN_BY_THE_BUILD = {"references"} | CARD_IDS


def built_heading_ids(soup) -> list[str]:
    """The ids of the headings in a built page's text (Material's own title heading has none)."""
    article = soup.select_one("article")
    return [h["id"] for h in article.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]) if h.get("id")]


def site_project(root=ROOT) -> Project:
    """The project index as a build makes it: with the toc settings of the site's mkdocs.yml."""
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    return Project(root, root / "docs", config.mdx_configs.get("toc"))


def test_every_pages_heading_ids_in_the_index_are_those_of_the_built_page(site):
    """Asserts, page by page: the index's heading ids, in order, are the built page's (less the
    headings the build writes itself). The site's ids are all written ({ #id }); the fixture below
    covers ids made from the words."""
    project = site_project()
    assert len(project.pages) >= 10
    for src_uri, source in project.pages.items():
        indexed, built = [h.id for h in source.headings], built_heading_ids(site.page(page_url(DOCS / src_uri)))
        extra = list(built)
        for heading_id in indexed:  # the index's ids appear in the built page in the same order...
            assert heading_id in extra, f"{src_uri}: #{heading_id} is not on the built page (in this order)"
            extra = extra[extra.index(heading_id) + 1 :]
        # ...and every other built heading is one the build writes
        assert sorted(set(built) - set(indexed)) == sorted(set(built) - set(indexed) & WRITTEN_BY_THE_BUILD), src_uri
        assert len(built) == len(indexed) + len(set(built) - set(indexed)), src_uri


HEADINGS_PAGE = """---
title: Headings
---

# Headings

## Intro

Text.

## Intro

```
## Not a heading { #in-code }
```

<!-- ## Not a heading either -->

## Intro { .plain }

## Setup

## Other setup { #setup }

## Two **bold** words, `code<x>` and [a link](https://example.org)

## Fish &amp; chips, A & B, \\*stars\\*

## snake_case_name and 1. step

### Closed ###

## Ünïcödé façade

## { #only-an-id }

Underlined *one*
================

Underlined two
--------------

## Attrs after { : .x #colon-id }
"""


@pytest.mark.parametrize(
    "toc, expected",
    [
        ("", ["intro_2", "setup_1", "unicode-facade", "snake_case_name-and-1-step"]),  # toc's defaults
        (
            "      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n      separator: _\n",
            ["intro_2", "setup_1", "ünïcödé_façade", "snake_case_name_and_1_step"],
        ),
    ],
)
def test_ids_made_from_the_words_are_the_ones_toc_makes(tmp_path, toc, expected):
    """A small site whose headings have no ids of their own (duplicates, markup, entities, Unicode,
    underlined headings, code that is not a heading), built by MkDocs with Material, with the toc
    defaults and with another slugify and separator: the index has the built page's ids, in order."""
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text(HEADINGS_PAGE, encoding="utf-8")
    (tmp_path / "docs" / "sub" / "page.md").write_text("## Intro\n\n## Intro\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Headings\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - pymdownx.superfences\n"
        "  - toc:\n      permalink: true\n" + toc,
        encoding="utf-8",
    )
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    project = site_project(tmp_path)
    for src_uri, url in (("index.md", "index.html"), ("sub/page.md", "sub/page/index.html")):
        soup = BeautifulSoup((tmp_path / "site" / url).read_text(encoding="utf-8"), "html.parser")
        built = built_heading_ids(soup)
        assert [h.id for h in project.pages[src_uri].headings] == built, src_uri
    ids = [h.id for h in project.pages["index.md"].headings]
    assert len(ids) == 15 and "in-code" not in ids and not set(expected) - set(ids), ids


def test_a_heading_knows_its_level_words_line_and_whether_its_id_was_written():
    found = headings.find("\n\n## Back pain **in runners** [@key] { #in-runners }\n\n```\n# x\n```\n\nWords\n=====\n")
    assert found == [
        headings.Heading(2, "Back pain in runners", "in-runners", True, 3, "Back pain **in runners** [@key]"),
        headings.Heading(1, "Words", "words", False, 9, "Words"),
    ]
