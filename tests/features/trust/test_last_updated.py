"""Dates that tell the truth (issue 18 item 3): a page whose reader-visible content changed after its
last review says "Last updated <date>" beside "Page last reviewed", in its stamp, its printable
handout, its JSON-LD (dateModified) and the feed; a change dated before its page existed, or after
the build's today, is a located error.

Expected values are worked out here from data/changes.yml and the pages' front matter.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import DOCS, ROOT, front_matter, markdown_pages, page_url

from backpain_site.features.sharing.kit import handout_src
from backpain_site.features.sharing.sections import is_content_page

ATOM = "{http://www.w3.org/2005/Atom}"
CHANGES = yaml.safe_load((ROOT / "data" / "changes.yml").read_text(encoding="utf-8"))


def rel(md) -> str:
    return md.relative_to(DOCS).as_posix()


def text(element) -> str:
    return " ".join(element.get_text().split())


def written_out(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def latest_change(src: str) -> dt.date | None:
    return max((c["date"] for c in CHANGES if c["page"] == src), default=None)


def updated_after_review(md) -> dt.date | None:
    latest = latest_change(rel(md))
    return latest if latest and latest > front_matter(md)["last_reviewed"] else None


def test_some_page_changed_after_its_review():
    """The pages below are not all vacuous: the December changes came after the 29 November reviews."""
    assert updated_after_review(DOCS / "when-to-get-help.md") >= dt.date(2026, 12, 2)


@pytest.mark.parametrize("md", markdown_pages(), ids=rel)
def test_the_stamp_says_last_updated_only_after_a_later_change(site, md):
    stamp = site.page(page_url(md)).select_one(".page-stamp")
    reviewed = front_matter(md)["last_reviewed"]
    updated = updated_after_review(md)
    if updated is None:
        assert "Last updated" not in text(stamp)
        return
    assert text(stamp).startswith(
        f"Page last reviewed: {written_out(reviewed)} · Last updated: {written_out(updated)} · "
    )
    assert stamp.select_one(f'time[datetime="{updated.isoformat()}"]') is not None


@pytest.mark.parametrize("md", [md for md in markdown_pages() if is_content_page(rel(md))], ids=rel)
def test_the_handout_carries_the_same_dates(site, md):
    handout = site.page(page_url(DOCS / handout_src(rel(md))))
    review = text(handout.select_one(".share-handout__review"))
    updated = updated_after_review(md)
    if updated is None:
        assert "Last updated" not in review
    else:
        assert f"Last updated: {written_out(updated)}" in review, review


@pytest.mark.parametrize("md", markdown_pages(), ids=rel)
def test_json_ld_date_modified_is_the_latest_change(site, md):
    script = site.page(page_url(md)).select_one('script[type="application/ld+json"]')
    data = json.loads(script.string)
    meta = front_matter(md)
    assert data["dateModified"] == max(filter(None, [meta["published"], latest_change(rel(md))])).isoformat()
    assert data["lastReviewed"] == meta["last_reviewed"].isoformat()


def test_the_feed_dates_each_page_as_its_stamp_does(site):
    feed = ET.parse(site.root / "feed.xml").getroot()
    newest: dict[str, str] = {}
    for entry in feed.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link").get("href").removeprefix(site.url).partition("#")[0]
        newest[link] = max(newest.get(link, ""), entry.findtext(f"{ATOM}updated"))
    for md in markdown_pages():
        updated = updated_after_review(md)
        if updated is not None:
            assert newest[page_url(md)] == f"{updated.isoformat()}T00:00:00Z"
