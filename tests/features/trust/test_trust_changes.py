"""data/changes.yml, evidence_checked and the report setting: every mistake stops the build with file:line.

Each case in fixtures/trust/cases/ replaces a file of the small site in fixtures/trust/base/ and
says in expected.txt which lines the build must print. The good fixture builds, and shows its
changes, feed and report links (with a GitHub repo_url, so the issue-form link is there too).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import run_build
from helpers import TRUST, make_trust_project

from backpain_site.features.citations.review import evidence_problems
from backpain_site.features.trust import changes as changelog

CASES = sorted(p.name for p in (TRUST / "cases").iterdir())
ATOM = "{http://www.w3.org/2005/Atom}"


def expected(case: str) -> list[str]:
    return (TRUST / "cases" / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_stops_the_build_with_its_file_and_line(tmp_path, case):
    project = make_trust_project(tmp_path / "project", case)
    result = run_build(project, tmp_path / "out", strict=False)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    for line in expected(case):
        assert line in log, log
    assert "Traceback" not in log
    # Nothing else is reported: one message per mistake.
    reported = [line.strip() for line in log.splitlines() if line.strip().startswith(("data/", "docs/", "mkdocs.yml:"))]
    assert sorted(reported) == sorted(expected(case)), log


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trust")
    project = make_trust_project(tmp / "project")
    result = run_build(project, tmp / "out", strict=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "out"


def soup(out: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((out / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_good_fixture_shows_its_changes_newest_first(good):
    entries = soup(good, "changes").select(".change-entry")
    assert [e["id"] for e in entries] == [
        "change-2026-11-30-index",
        "change-2026-11-29-evidence-findings",
        "change-2026-11-29-evidence-findings-2",
    ]
    # The sentence is text, never markup; the place is page title and section heading.
    assert 'A fixture correction & <its> "sentence".' in entries[1].get_text()
    assert "Fixture evidence – What was found" in entries[1].get_text()
    assert entries[1].select_one("a")["href"] == "../evidence/#findings"
    box = soup(good, "evidence").select_one(".page-changes")
    items = [" ".join(e.get_text().split()) for e in box.select("[role=listitem]")]
    assert items[0].startswith("29 November 2026 · Correction (What was found): A fixture correction")
    assert items[1].startswith("29 November 2026 · Update (What was found): A second change")


def test_the_about_page_shows_the_setting(good):
    about = soup(good, "about").select_one("article")
    # reports@example.org is a placeholder: no reply promise (test_report_route.py has a real address).
    assert "Reports are not monitored yet." in " ".join(about.get_text().split())
    assert about.select_one('a[href="mailto:reports@example.org"]') is not None


def test_with_a_github_repo_the_issue_form_is_prefilled(good):
    link = soup(good, "evidence").select_one(".report-problem a.report-problem__issue")
    parts = urlsplit(link["href"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://github.com/example-org/example-site/issues/new"
    query = parse_qs(parts.query)
    assert query["template"] == ["content-problem.yml"]
    assert query["page"] == ["http://127.0.0.1:8000/evidence/"]
    assert query["title"] == ["Problem on the page: Fixture evidence"]


def test_a_page_title_with_markup_characters_is_encoded_not_broken(good):
    mail = soup(good, "").select_one(".report-problem a.report-problem__email")["href"]
    query = urlsplit(mail).query
    assert "+" not in query and " " not in query and "<" not in query
    subject = dict(part.split("=", 1) for part in query.split("&"))["subject"]
    assert subject == "Problem%20on%20the%20page%3A%20Fixture%20home%20%26%20%3Cstart%3E"
    assert unquote(subject) == "Problem on the page: Fixture home & <start>"


def test_the_fixture_feed(good):
    feed = ET.parse(good / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2026-11-30T00:00:00Z"
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [
        "http://127.0.0.1:8000/changes/#change-2026-11-30-index",
        "http://127.0.0.1:8000/changes/#change-2026-11-29-evidence-findings",
        "http://127.0.0.1:8000/changes/#change-2026-11-29-evidence-findings-2",
    ]
    second = feed.findall(f"{ATOM}entry")[1]
    assert second.findtext(f"{ATOM}content") == 'A fixture correction & <its> "sentence".'
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Fixture team"


# The pure checks ---------------------------------------------------------------------------------

PAGES = {"index.md", "a/b.md"}


def parse(text: str, today=dt.date(2026, 12, 2)):
    return changelog.parse(text, "data/changes.yml", PAGES, {"key2020"}, today)


def test_ids_stay_put_when_entries_are_added_on_other_days():
    one = "- {date: 2026-11-29, page: a/b.md, section: s, kind: update, text: One.}\n"
    two = "- {date: 2026-11-29, page: a/b.md, section: s, kind: update, text: Two.}\n"
    new = "- {date: 2026-12-01, page: a/b.md, section: s, kind: new, text: Newer.}\n"
    before, _ = parse(one + two)
    after, _ = parse(new + one + two)
    assert [c.id for c in before] == ["change-2026-11-29-a-b-s", "change-2026-11-29-a-b-s-2"]
    assert [c.id for c in after][1:] == [c.id for c in before]


def test_a_change_today_is_fine_and_tomorrow_is_not():
    entry = "- {{date: {}, page: a/b.md, kind: update, text: One.}}\n"
    assert parse(entry.format("2026-12-02"))[1] == []
    (problem,) = parse(entry.format("2026-12-03"))[1]
    assert "is in the future" in problem.message


def test_an_empty_file_has_no_changes_and_no_problems():
    assert parse("# nothing yet\n") == ([], [])


@pytest.mark.parametrize(
    "value, month, reviewed, wanted",
    [
        ("2026-11", (2026, 12), "2026-11-29", None),
        ("2026-11", (2026, 11), "2026-11-01", None),  # same month as the review: fine
        ("2026-12", (2026, 12), "2026-11-29", "after last_reviewed"),
        ("2026-12", (2026, 11), "2026-11-29", "in the future"),
        ("2026-1", (2026, 12), "2026-11-29", "not a month written YYYY-MM"),
    ],
)
def test_evidence_checked(value, month, reviewed, wanted):
    today = dt.date(month[0], month[1], 15)
    found = evidence_problems(
        {"evidence_checked": value, "last_reviewed": reviewed}, {"evidence_checked": 4}, today, True
    )
    if wanted is None:
        assert found == []
    else:
        (problem,) = found
        assert wanted in problem.message and problem.line == 4


def test_evidence_checked_is_only_required_on_evidence_pages():
    today = dt.date(2026, 12, 2)
    assert evidence_problems({}, {}, today, required=False) == []
    assert "missing on an evidence page" in evidence_problems({}, {}, today, required=True)[0].message
