"""Sentences about the site itself are true as written (issue 18, item 7), each tied to what backs it:
the reference notes, the review-date check, the host the publish workflow deploys to, and page metadata
that claims no more than the site does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from conftest import BIB, DOCS, ROOT, front_matter, markdown_pages, page_url
from pybtex.database import parse_file

from backpain_site.features.citations.review import (
    HELP_PAGE,
    REVIEW_MONTHS,
    REVIEW_MONTHS_BY_PAGE,
    months_later,
    problems,
)


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def section(site, md: str, section_id: str) -> str:
    """The words of one H2 section of a built page (its heading to the next H2)."""
    article = site.page(page_url(DOCS / md)).select_one("article")
    heading = article.select_one(f"h2#{section_id}")
    assert heading is not None, f"{md} has no section #{section_id}"
    out = []
    for el in heading.find_next_siblings():
        if el.name == "h2" or el.select_one("h2"):
            break
        out.append(words(el))
    return " ".join(out)


# Claims the site made about itself that its machinery did not back (issue 18). None may come back,
# on a page, in a page's metadata (description, JSON-LD, social cards) or in the feed.
OLD_CLAIMS = re.compile(
    r"every statement of fact|never guess|\bevery claim\b|every fact|"
    r"reviewed by: running and low back pain editorial team",
    re.I,
)


def test_no_page_text_or_metadata_repeats_a_claim_the_site_cannot_back(site):
    checked = 0
    for path in site.html_files():
        text = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        for script in soup.select("script:not([type='application/ld+json'])"):
            script.decompose()
        found = OLD_CLAIMS.search(soup.get_text(" ") + " ".join(m.get("content", "") for m in soup.select("meta")))
        assert not found, f"{path.relative_to(site.root)}: {found.group(0)!r}"
        checked += 1
    feed = (site.root / "feed.xml").read_text(encoding="utf-8")
    assert not OLD_CLAIMS.search(feed)
    assert checked > 20


UNVERIFIED = re.compile(r"UNVERIFIED|NOT VERIFIED|DESCRIPTIVE|INFERRED", re.I)
SAYS_SO = re.compile(r"not verified|not checked|descriptive|inferred|not read|secondary citation", re.I)


def test_each_reference_with_an_unverified_detail_says_so_in_its_note(site):
    """About: "A reference's note says which of its details are not verified. You can read the notes in
    the reference list". True only while every entry whose verification record (annote) marks a detail
    unverified shows a note saying so."""
    about = section(site, "about.md", "how-we-check-evidence")
    assert "A reference's note says which of its details are not verified." in about
    assert "never guess" not in about.lower()
    bib = parse_file(str(BIB), "bibtex")
    references = site.page(page_url(DOCS / "references.md")).select_one("article")
    flagged = 0
    for key, entry in bib.entries.items():
        if not UNVERIFIED.search(entry.fields.get("annote", "")):
            continue
        flagged += 1
        item = references.select_one(f"#ref-{key}")
        assert item is not None, f"{key} is not in the reference list"
        assert SAYS_SO.search(entry.fields.get("note", "")), (
            f"{key}: annote marks a detail unverified; its note does not say so"
        )
        assert entry.fields["note"].split(".")[0] in words(item), f"{key}: the note is not shown in the reference list"
    assert flagged >= 8


def test_about_says_each_finding_has_a_citation_and_home_says_the_same(site):
    about = section(site, "about.md", "how-we-check-evidence")
    assert "Each finding from a study has a citation" in about
    home = site.page(page_url(DOCS / "index.md"))
    assert "Each finding from a study has a small number after it." in words(home.select_one("article"))
    assert "each finding linked to its source" in home.select_one('meta[name="description"]')["content"]


# Review intervals: About and How we make this site promise them; the front-matter check enforces them.


def test_review_interval_sentences_match_the_check(site):
    about = section(site, "about.md", "last-reviewed")
    how = section(site, "how-we-make.md", "review-cycle")
    assert REVIEW_MONTHS == 12 and REVIEW_MONTHS_BY_PAGE == {HELP_PAGE: 6}
    assert "We review each page at least once a year." in about and "We review every page at least once a year." in how
    assert "every six months" in about and "every six months" in how
    for md in markdown_pages():
        meta = front_matter(md)
        months = REVIEW_MONTHS_BY_PAGE.get(md.name, REVIEW_MONTHS)
        assert meta["next_review"] <= months_later(meta["last_reviewed"], months), md.name


@pytest.mark.parametrize(
    "months, due, bad",
    [(12, "2027-11-29", False), (12, "2027-11-30", True), (6, "2027-05-29", False), (6, "2027-06-01", True)],
)
def test_a_next_review_beyond_the_promised_interval_is_a_located_problem(months, due, bad):
    meta = {
        "authors": ["A"],
        "reviewers": ["B"],
        "published": "2026-11-29",
        "last_reviewed": "2026-11-29",
        "next_review": due,
    }
    found = problems(meta, {"next_review": 7}, months=months)
    if bad:
        (problem,) = found
        assert problem.line == 7 and f"more than {months} months after last_reviewed" in problem.message
    else:
        assert found == []


def test_months_later_keeps_to_real_days():
    assert months_later(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert months_later(dt.date(2026, 11, 29), 12) == dt.date(2027, 11, 29)


# Privacy: the site is published on GitHub Pages (the publish workflow), so the privacy text says what
# that host logs, in GitHub's own documented terms (docs.github.com, "About GitHub Pages", Data collection:
# "the visitor's IP address is logged and stored for security purposes").


def test_privacy_text_says_what_the_host_logs(site):
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    privacy = section(site, "about.md", "privacy")
    if "actions/deploy-pages" in workflow:
        assert "hosted on GitHub Pages" in privacy
        assert re.search(r"GitHub keeps the IP address of each visitor in its logs, for security", privacy), privacy
        link = site.page(page_url(DOCS / "about.md")).select_one(
            'a[href="https://docs.github.com/en/pages/getting-started-with-github-pages/about-github-pages#data-collection"]'
        )
        assert link is not None
    assert not re.search(r"does not contact any other company", privacy) or "its host, GitHub" in privacy


def test_about_says_no_one_outside_the_team_has_reviewed_a_page_while_that_is_so(site):
    outside = [
        md.name for md in markdown_pages() if set(front_matter(md)["reviewers"]) - set(front_matter(md)["authors"])
    ]
    about = section(site, "about.md", "last-reviewed")
    if not outside:
        assert "No one outside the team has reviewed any page yet" in about
    else:
        assert "No one outside the team has reviewed any page yet" not in about, outside
