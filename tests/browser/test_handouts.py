"""Printed handouts (share/<page>/) in a real browser: the sheet sends readers to the page it is
about, never to the handout's own address, and says when that page was last reviewed.

Expected addresses and dates come from the Markdown sources, not from the built pages."""
from __future__ import annotations

import pytest

from conftest import front_matter, page_url
from test_share import CONTENT, rel

from .test_share import handout_url, pdf_pages, squash


def written_out(day) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


@pytest.mark.parametrize("md", CONTENT, ids=rel)
def test_a_printed_handout_carries_its_pages_address_and_review_dates_not_its_own_address(desktop, base_url, md):
    desktop.goto(handout_url(md))
    printed = "".join(pdf_pages(desktop.pdf(format="A4")))
    meta = front_matter(md)
    assert squash(f"{base_url}{page_url(md)}") in printed
    assert squash(f"{base_url}{handout_url(md)}") not in printed, "the handout prints its own address"
    assert squash(f"Page last reviewed: {written_out(meta['last_reviewed'])} · "
                  f"Next review due: {written_out(meta['next_review'])}") in printed
