"""Printed handouts (share/<page>/) in a real browser: each fits one sheet of A4 and of Letter, sends
readers to the page it is about (in print and in its QR code), never to the handout's own address,
and says when that page was last reviewed.

Expected addresses and dates come from the Markdown sources, not from the built pages. axe checks the
handouts in the phone sweep (tests/browser/test_pages.py) and one on the representative pages."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, front_matter, page_url
from helpers import CONTENT, decode, handout_url, pdf_pages, rel
from helpers import squash_printed as squash
from playwright.sync_api import expect

CHANGES = yaml.safe_load((ROOT / "data" / "changes.yml").read_text(encoding="utf-8"))


def written_out(day) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


@pytest.mark.parametrize("md", CONTENT, ids=rel)
def test_a_handout_prints_on_one_sheet_with_its_pages_address_qr_code_and_review_dates(desktop, base_url, md):
    desktop.goto(handout_url(md))
    url = f"{base_url}{page_url(md)}"
    expect(desktop.locator(".share-handout__url")).to_have_text(url)
    assert decode(desktop.locator(".share-handout svg.share-qr").screenshot()) == [url]
    meta = front_matter(md)
    # "Last updated" when data/changes.yml records a change after the review (tests/features/trust/test_last_updated.py).
    changed = max((c["date"] for c in CHANGES if c["page"] == rel(md)), default=None)
    updated = f"Last updated: {written_out(changed)} · " if changed and changed > meta["last_reviewed"] else ""
    stamp = (
        f"Page last reviewed: {written_out(meta['last_reviewed'])} · {updated}"
        f"Next review due: {written_out(meta['next_review'])}"
    )
    for paper in ("A4", "Letter"):
        sheets = pdf_pages(desktop.pdf(format=paper))
        assert len(sheets) == 1, f"{handout_url(md)} takes {len(sheets)} sheets of {paper}"
        printed = sheets[0]
        assert squash(url) in printed
        assert squash(f"{base_url}{handout_url(md)}") not in printed, "the handout prints its own address"
        assert squash(stamp) in printed
