"""The evidence watch (issue 18 item 4): data/searches.yml records each evidence page's saved PubMed
search; a page says "Evidence checked up to" only as far as a screened run reaches; `make
evidence-watch` runs the saved queries for what is new.

The command is tested on recorded replies written in NCBI's documented JSON shapes
(tests/fixtures/evidence-watch/): a normal reply, an empty result, error replies, a 429 rate-limit
reply and malformed bodies. The opener is a fake: nothing here touches the network.
"""

from __future__ import annotations

import io
import json
import re
import urllib.error
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import FIXTURES, ROOT, make_trust_project, run_build

from backpain_site.features.trust import evidence_watch
from backpain_site.features.trust.searches import parse, reach

REPLIES = FIXTURES / "evidence-watch"
ENV = {"SITE_TODAY": "2027-01-10", "NCBI_EMAIL": "editor@example.net"}
SEARCHES = """\
- page: a.md
  query: fixture[tiab]
  runs:
    - {run: 2026-12-01, from: 2026-11-01, to: 2026-11-30, count: 0}
- page: b.md
  query: other[tiab]
  start: 2027-01-01
"""


class FakeOpener:
    """Replays (status, file) replies in order and keeps every requested URL."""

    def __init__(self, *replies: tuple[int, str]):
        self.replies = list(replies)
        self.urls: list[str] = []

    def open(self, request, timeout=None):
        self.urls.append(request.full_url)
        status, name = self.replies.pop(0)
        body = (REPLIES / name).read_bytes()
        if status != 200:
            raise urllib.error.HTTPError(request.full_url, status, "error", {}, io.BytesIO(body))
        return io.BytesIO(body)

    def params(self, index: int) -> dict:
        parts = urlsplit(self.urls[index])
        return {"utility": parts.path.rsplit("/", 1)[-1]} | {k: v[0] for k, v in parse_qs(parts.query).items()}


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n")
    (tmp_path / "docs" / "b.md").write_text("# B\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "searches.yml").write_text(SEARCHES)
    return tmp_path


def run(project: Path, opener: FakeOpener, env=ENV, sleeps=None) -> int:
    sleeps = [] if sleeps is None else sleeps
    return evidence_watch.main(["--out", "watch"], opener=opener, sleep=sleeps.append, environ=env, root=project)


def test_a_normal_run_writes_the_new_records_for_screening(project, capsys):
    opener = FakeOpener((200, "esearch-two.json"), (200, "esummary-two.json"), (200, "esearch-none.json"))
    sleeps: list[float] = []
    assert run(project, opener, sleeps=sleeps) == 0
    # a.md: from the day after its last run to today; b.md: from its start.
    first, summary, second = (opener.params(i) for i in range(3))
    assert first == {
        "utility": "esearch.fcgi",
        "db": "pubmed",
        "term": "fixture[tiab]",
        "datetype": "edat",
        "mindate": "2026/12/01",
        "maxdate": "2027/01/10",
        "retmax": "500",
        "retmode": "json",
        "tool": evidence_watch.TOOL,
        "email": "editor@example.net",
    }
    assert summary["utility"] == "esummary.fcgi" and summary["id"] == "41000002,41000001"
    assert (second["term"], second["mindate"]) == ("other[tiab]", "2027/01/01")
    # A pause before each request after the first, none longer than a third of a second.
    assert len(sleeps) == 2 and all(0 < s <= 0.34 for s in sleeps)
    written = json.loads((project / "watch" / "new-records.json").read_text())
    a, b = written["pages"]
    assert (a["page"], a["from"], a["to"], a["count"]) == ("a.md", "2026-12-01", "2027-01-10", 2)
    assert [r["title"] for r in a["records"]] == [
        "A made-up second record for the tests.",
        "A made-up first record for the tests.",
    ]
    assert (b["count"], b["records"], b["body_file"]) == (0, [], None)
    body = (project / "watch" / a["body_file"]).read_text()
    assert "https://pubmed.ncbi.nlm.nih.gov/41000001/" in body and "`fixture[tiab]`" in body
    # The run block in the body is valid YAML for data/searches.yml, once each decision is filled in.
    block = yaml.safe_load(re.search(r"```yaml\n(.*?)```", body, re.S).group(1))
    assert block[0]["count"] == 2 and [r["pmid"] for r in block[0]["records"]] == ["41000002", "41000001"]
    assert "2 new records on 1 of 2 pages" in capsys.readouterr().out
    # Nothing is recorded as a run: data/searches.yml is the editor's to change after screening.
    assert (project / "data" / "searches.yml").read_text() == SEARCHES


def test_an_api_key_from_the_environment_is_sent_and_shortens_the_pause(project):
    opener = FakeOpener((200, "esearch-none.json"), (200, "esearch-none.json"))
    sleeps: list[float] = []
    assert run(project, opener, env=ENV | {"NCBI_API_KEY": "k123"}, sleeps=sleeps) == 0
    assert opener.params(0)["api_key"] == "k123"
    assert len(sleeps) == 1 and sleeps[0] <= 0.1


def test_a_rate_limit_reply_is_retried_after_a_pause(project):
    opener = FakeOpener((429, "rate-limit.json"), (200, "esearch-none.json"), (200, "esearch-none.json"))
    sleeps: list[float] = []
    assert run(project, opener, sleeps=sleeps) == 0
    assert len(opener.urls) == 3 and opener.urls[0] == opener.urls[1]
    assert 1 in sleeps


@pytest.mark.parametrize(
    "replies, words",
    [
        (
            [(429, "rate-limit.json")] * 4,
            "rate limit was still exceeded after 3 retries (HTTP 429: API rate limit exceeded)",
        ),
        ([(200, "esearch-error.json")], "esearch (fixture[tiab]): NCBI says: Invalid query"),
        ([(200, "error.json")], "NCBI says: Invalid db name specified: pubmd"),
        ([(400, "error.json")], "HTTP 400 from NCBI: Invalid db name specified: pubmd"),
        ([(200, "esearch-phrase-not-found.json")], "NCBI could not read part of the query (phrasesnotfound: fixturr)"),
        ([(200, "malformed.json")], "NCBI's reply is not JSON"),
        ([(200, "html.txt")], "NCBI's reply is not JSON"),
        ([(200, "esearch-two.json"), (200, "malformed.json")], "esummary (ids 41000002…): NCBI's reply is not JSON"),
        ([(200, "esearch-two.json"), (200, "esearch-none.json")], "NCBI's reply has no result.uids"),
        (
            [(200, "esearch-two.json"), (200, "esummary-two.json"), (200, "html.txt")],
            "esearch (other[tiab]): NCBI's reply is not JSON",
        ),
    ],
)
def test_each_bad_reply_is_one_clear_message_and_nothing_is_written(project, capsys, replies, words):
    (project / "watch").mkdir()
    (project / "watch" / "new-records.json").write_text("last week's")
    assert run(project, FakeOpener(*replies)) == 1
    err = capsys.readouterr().err
    assert err.startswith("Evidence watch stopped, nothing written: ") and words in err, err
    assert "Traceback" not in err
    assert [p.name for p in (project / "watch").iterdir()] == ["new-records.json"]
    assert (project / "watch" / "new-records.json").read_text() == "last week's"
    assert not [p for p in project.iterdir() if p.name.startswith(".evidence-watch-")]


def test_without_a_contact_email_nothing_is_asked(project, capsys):
    opener = FakeOpener()
    assert run(project, opener, env={"SITE_TODAY": "2027-01-10"}) == 1
    assert "set NCBI_EMAIL" in capsys.readouterr().err and opener.urls == []


def test_a_mistake_in_the_saved_searches_is_located(project, capsys):
    (project / "data" / "searches.yml").write_text(SEARCHES.replace("page: b.md", "page: c.md"))
    assert run(project, FakeOpener()) == 1
    assert 'data/searches.yml:5: search #2, field "page": no page "c.md" under docs/' in capsys.readouterr().err


# What a page may say -----------------------------------------------------------------------------


def test_reach_stops_at_an_unscreened_run_or_a_gap():
    text = """\
- page: a.md
  query: q
  start: 2026-01-01
  runs:
    - {run: 2026-03-01, from: 2026-01-01, to: 2026-02-28, count: 0}
    - {run: 2026-05-01, from: 2026-03-01, to: 2026-04-30, count: 1, records: [{pmid: "1", title: T, decision: included}]}
    - {run: 2026-07-01, from: 2026-05-02, to: 2026-06-30, count: 0}
"""
    import datetime as dt

    (search,), problems = parse(text, "data/searches.yml", {"a.md"}, dt.date(2026, 12, 1))
    assert problems == []
    assert reach(search) == dt.date(2026, 4, 30)  # 1 May was never searched
    unscreened = text.replace("decision: included", "title: T2").replace("title: T, ", "")
    (search,), _ = parse(unscreened, "data/searches.yml", {"a.md"}, dt.date(2026, 12, 1))
    assert reach(search) == dt.date(2026, 2, 28)


def test_a_page_says_checked_up_to_only_as_far_as_a_screened_run_reaches(tmp_path):
    """The trust fixture's evidence page: runs screened to 31 October, a later one not yet screened."""
    project = make_trust_project(tmp_path / "project")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((tmp_path / "out" / "evidence" / "index.html").read_text(), "html.parser")
    line = page.select_one(".evidence-checked")
    assert " ".join(line.get_text().split()) == "Evidence checked up to: October 2026 (the search)"
    assert line.select_one("time")["datetime"] == "2026-10"
    assert line.select_one("a")["href"] == "../how-we-make/#search-evidence"
    record = BeautifulSoup((tmp_path / "out" / "how-we-make" / "index.html").read_text(), "html.parser")
    assert record.select_one("div#search-evidence") is not None
    words = " ".join(record.select_one("article").get_text().split())
    assert (
        "Run on 29 November 2026, for records added to PubMed from 1 November 2026 to 20 November 2026: 1 record, not yet screened."
        in words
    )
    assert "Excluded: not about the fixture" in words and "Checked up to 31 October 2026." in words


# make and the weekly workflow ------------------------------------------------------------------


def test_make_evidence_watch_runs_the_command():
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^evidence-watch:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert target and "-m backpain_site.features.trust.evidence_watch" in target.group(1)


def test_the_weekly_workflow_runs_the_watch_and_files_an_issue_per_page():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "links.yml").read_text())
    job = workflow["jobs"]["evidence-watch"]
    steps = "\n".join(str(step.get("run", "")) + str(step.get("with", {}).get("script", "")) for step in job["steps"])
    assert "make evidence-watch" in steps and "new-records.json" in steps and "issue_title" in steps
