"""Authorship and review dates: every page has them, the stamp shows them, bad ones are located.

Each case in fixtures/review-dates/cases/ replaces the fixture page and says in expected.txt which
lines the build and `python -m backpain_site.features.citations check` must print.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, front_matter, markdown_pages, page_url, run_build
from helpers import REVIEW, make_review_project

from backpain_site.features.citations.review import problems, read_front_matter, review_page
from backpain_site.kernel.front_matter import located
from backpain_site.kernel.problems import Problem

ERROR_CASES = ["not-iso", "impossible-date", "dates-out-of-order", "missing-fields", "bad-yaml"]


def run_check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backpain_site.features.citations", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def expected(case: str) -> list[str]:
    return (REVIEW / "cases" / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def written_out(day: dt.date) -> str:
    """'29 November 2026', written independently of the hook (C locale month names)."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


# The real site ------------------------------------------------------------------------------------


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.name)
def test_review_stamp_and_authors_match_front_matter(site, md):
    meta = front_matter(md)
    article = site.page(page_url(md)).select_one("article")
    stamp = article.select_one(".page-stamp")
    assert stamp is not None, f"{md}: no review stamp"
    # "Last updated" (a change since the review) sits between the two: tests/features/trust/test_last_updated.py.
    assert re.sub(r" · Last updated: [^·]+?(?= ·)", "", " ".join(stamp.get_text().split())) == (
        f"Page last reviewed: {written_out(meta['last_reviewed'])} · Next review due: {written_out(meta['next_review'])}"
    )
    times = [t["datetime"] for t in stamp.select("time")]
    assert [times[0], times[-1]] == [meta["last_reviewed"].isoformat(), meta["next_review"].isoformat()]
    # After the page's own content and reference list: nothing but the stamp's own lines follow it.
    assert stamp.find_previous_sibling(class_="page-authors") is not None
    authors = article.select_one(".page-authors").get_text()
    assert all(name in authors for name in meta["authors"] + meta["reviewers"])


# Located problems, in a build and in the check command --------------------------------------------


@pytest.mark.parametrize("case", ERROR_CASES)
def test_invalid_fields_stop_the_build_with_file_line_and_field(tmp_path, case):
    project = make_review_project(tmp_path / "project", case)
    result = run_build(project, tmp_path / "out", strict=False)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    for line in expected(case):
        assert line in log
    assert "Traceback" not in log


@pytest.mark.parametrize("case", ERROR_CASES)
def test_the_check_command_reports_the_same_lines_and_fails(tmp_path, case):
    project = make_review_project(tmp_path / "project", case)
    result = run_check(project)
    assert result.returncode == 1, result.stdout + result.stderr
    for line in expected(case):
        assert line in result.stdout
    assert f"{len(expected(case))} errors." in result.stdout and "Traceback" not in result.stderr


def test_an_overdue_review_is_a_warning_in_the_build_and_an_error_in_the_check(tmp_path):
    project = make_review_project(tmp_path / "project", "overdue")
    (message,) = expected("overdue")
    relaxed = run_build(project, tmp_path / "relaxed", strict=False)
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    assert re.search(r"WARNING\s+-\s+review_dates: " + re.escape(message), relaxed.stderr)
    assert (tmp_path / "relaxed" / "index.html").is_file()
    strict = run_build(project, tmp_path / "strict", strict=True)
    assert strict.returncode != 0 and message in strict.stdout + strict.stderr
    check = run_check(project)
    assert check.returncode == 1 and message in check.stdout


def test_a_good_fixture_passes_the_check_and_the_strict_build(tmp_path):
    project = make_review_project(tmp_path / "project")
    check = run_check(project)
    assert check.returncode == 0, check.stdout
    assert "Authorship and review dates of 1 pages checked. 0 errors." in check.stdout
    build = run_build(project, tmp_path / "out")
    assert build.returncode == 0, build.stdout + build.stderr


def test_the_check_command_passes_the_real_site():
    result = run_check(ROOT)
    assert result.returncode == 0, result.stdout
    assert f"Authorship and review dates of {len(markdown_pages())} pages checked. 0 errors." in result.stdout


# The pure checks ------------------------------------------------------------------------------------

GOOD = {
    "authors": ["A"],
    "reviewers": ["B"],
    "published": "2026-01-01",
    "last_reviewed": "2026-06-01",
    "next_review": "2027-06-01",
}


def test_good_fields_have_no_problems():
    assert problems(GOOD, {}) == []


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("published", "2026-1-01", "not a date written YYYY-MM-DD"),
        ("published", "2026-01-01T10:00", "not a date written YYYY-MM-DD"),
        ("published", 2026, "not a date written YYYY-MM-DD"),
        ("last_reviewed", "2025-02-29", "not a real date"),
        ("last_reviewed", "2025-12-31", "before the page was published"),
        ("next_review", "2026-06-01", "is not after last_reviewed"),
        ("authors", [], "must be a list of names"),
        ("reviewers", [""], "must be a list of names"),
        ("reviewers", None, "missing"),
    ],
)
def test_each_bad_value_names_its_field(field, value, words):
    meta = dict(GOOD, **{field: value})
    if value is None:
        del meta[field]
    found = problems(meta, {name: number for number, name in enumerate(meta, start=2)})
    assert [p.message.split(":")[0] for p in found] == [f'front matter field "{field}"'] and words in found[0].message
    assert found[0].line == (list(meta).index(field) + 2 if field in meta else 1)


def test_dates_stay_text_so_a_bad_one_is_not_lost():
    meta, lines, bad = read_front_matter("---\ntitle: T\npublished: 2026-02-30\n---\nBody\n")
    assert bad is None and meta["published"] == "2026-02-30" and lines == {"title": 2, "published": 3}


def test_messages_read_like_the_other_front_matter_messages(tmp_path):
    page = tmp_path / "docs" / "a.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: A\nnext_review: soon\n---\n", encoding="utf-8")
    assert str(Problem.front_matter("docs/a.md", 3, "next_review", "bad")) == located(
        page, "next_review", "bad", base=tmp_path
    )


def test_review_due_today_is_not_yet_overdue(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("---\n" + "".join(f"{k}: {v}\n" for k, v in GOOD.items()) + "---\n", encoding="utf-8")
    due = dt.date(2027, 6, 1)
    assert review_page(page, "a.md", due).overdue is None
    assert "overdue since 1 June 2027" in review_page(page, "a.md", due + dt.timedelta(days=1)).overdue
