"""The editor's mistakes, in real builds of a fixture site: located messages, all at once, the build
stops (strict or not), and the last good site is left exactly as it was.

Each case in fixtures/citations/cases/ replaces the fixture's references.bib and/or docs/ and says
in expected.txt which lines the build must print.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CASES, ROOT, make_project, run_build


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """The fixture site built without problems: (project, built site, build output)."""
    project = make_project(tmp_path_factory.mktemp("good") / "project")
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, project / "site", result.stdout + result.stderr


def page(site: Path, name: str = "") -> BeautifulSoup:
    return BeautifulSoup((site / name / "index.html").read_text(encoding="utf-8"), "html.parser")


# --- the good build --------------------------------------------------------------------------------


def test_latex_renders_as_readers_expect(good):
    text = page(good[1]).find(class_="footnote").get_text(" ")
    for expected in (
        "H. Müller",
        "D. L. Belavý",
        "ASTEROID",
        "pain & disability",
        "10–20",
        "British Journal of Sports Medicine",
    ):
        assert expected in text
    assert "\\" not in text and "{" not in text


def test_nothing_in_a_field_becomes_markup_or_script(good):
    article = page(good[1]).find("article")
    assert article.find("script") is None
    assert article.find("img") is None
    assert article.find("b") is None
    for tag in article.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        assert not tag.get("href", "").lower().startswith("javascript"), tag
    text = article.get_text(" ")
    assert '<script>alert("title")</script>' in text  # shown to the reader as the text it is
    assert "<img src=x onerror=alert(1)>" in text
    assert "*not bold*" in text and "[a link](javascript:alert(2))" in text
    links = [a["href"] for a in article.select(".footnote a[href^='http']")]
    assert "https://example.org/page?a=1&b=2_x*y" in links


def test_citations_in_code_and_comments_are_left_as_written(good):
    soup = page(good[1])
    codes = [c.get_text() for c in soup.find("article").find_all("code")]
    assert "[@jones2018unused]" in codes and "[@nobody2000x]" in codes
    assert any("[@muller2020asteroid; @nobody2000x]" in c for c in codes)
    html = (good[1] / "index.html").read_text(encoding="utf-8")
    assert "<!-- a comment that mentions [@nobody2000x] -->" in html
    assert soup.find(id="fn:jones2018unused") is None and soup.find(id="fn:nobody2000x") is None


def test_a_key_cited_with_the_wrong_case_is_cited_and_warned_about(good):
    assert page(good[1], "other").find(id="fn:muller2020asteroid") is not None
    assert 'docs/other.md:3: [@Muller2020Asteroid] matches "muller2020asteroid" only if case is ignored' in good[2]


def test_warnings_are_listed_once_in_a_summary(good):
    log = good[2]
    assert log.count('"jones2018unused" is never cited') == 1
    assert "1 entries never cited:" in log
    assert 'references.bib:14: "smith2019markup" has no doi or pmid field' in log


def test_a_good_build_replaces_the_old_site_and_leaves_nothing_behind(good, tmp_path):
    project = make_project(tmp_path / "project")
    site = project / "site"
    (site / "old-page").mkdir(parents=True)
    (site / "old-page" / "index.html").write_text("stale")
    result = run_build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "old-page").exists() and (site / "index.html").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]


def test_a_dirty_build_updates_the_old_site_instead_of_starting_afresh(good, tmp_path):
    """--dirty means "rewrite what changed, keep the rest", so it starts from a copy of the last site."""
    project = make_project(tmp_path / "project")
    site = project / "site"
    shutil.copytree(good[1], site)
    (site / "kept.txt").write_text("not made by this build")
    (project / "docs" / "other.md").write_text("# Another page\n\nEdited.\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--dirty", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Edited." in (site / "other" / "index.html").read_text(encoding="utf-8")
    assert (site / "kept.txt").exists()


# --- the editor's mistakes -------------------------------------------------------------------------

CASE_NAMES = sorted(p.name for p in CASES.iterdir())


@pytest.mark.parametrize("case", CASE_NAMES)
def test_a_mistake_stops_the_build_says_where_and_keeps_the_last_good_site(case, good, tmp_path):
    project = make_project(tmp_path / "project", case)
    site = project / "site"
    shutil.copytree(good[1], site)
    before = tree_digest(site)

    result = run_build(project, site)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for line in (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in output, f"expected line missing:\n{line}\n--- build output:\n{output}"
    assert "Traceback" not in output
    assert tree_digest(site) == before, "the failed build changed the last good site"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]


@pytest.mark.parametrize("case", ["unknown-key", "malformed-bib", "bad-links"])
def test_errors_stop_the_build_without_strict_too(case, tmp_path):
    project = make_project(tmp_path / "project", case)
    result = run_build(project, project / "site", strict=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr


# --- the editor's check command --------------------------------------------------------------------


def run_check(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backpain_site.features.citations", "check", "-f", str(project / "mkdocs.yml"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_command_lists_every_error_without_building(tmp_path):
    project = make_project(tmp_path / "project", "malformed-bib")
    result = run_check(project)
    assert result.returncode == 1
    for line in (CASES / "malformed-bib" / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in result.stdout
    assert "3 problems with references or citations" in result.stdout
    assert not (project / "site").exists() and "Traceback" not in result.stderr


def test_check_command_passes_a_good_project_and_lists_warnings(tmp_path):
    project = make_project(tmp_path / "project")
    result = run_check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"jones2018unused" is never cited' in result.stdout
