"""Care cards and "Cite this page" in a real browser: spoken names, colours, phone width, axe."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from helpers import axe_violations as violations

from backpain_site.features.care_cards import PREFIXES, parse_cards

CARDS = parse_cards((ROOT / "includes" / "help-box.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("url", ["how-common/", "when-to-get-help/"])
def test_card_headings_are_spoken_with_their_level_which_is_not_shown(new_page, url):
    page = new_page("phone")
    page.goto(url)
    for level, prefix in PREFIXES.items():
        spoken = page.get_by_role("heading", name=re.compile("^" + re.escape(f"{prefix} {CARDS[level].title}")))
        assert spoken.count() == 1 and spoken.evaluate("h => h.id") == level
        box = spoken.locator(".visually-hidden").bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1, f"{level}: the prefix takes up space"
        assert spoken.is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_level_has_its_own_colour(new_page, scheme):
    page = new_page("desktop", color_scheme=scheme)
    page.goto("when-to-get-help/")
    colours = [
        page.locator(f".care-card--{level} > h2").evaluate("h => getComputedStyle(h).backgroundColor")
        for level in PREFIXES
    ]
    assert len(set(colours)) == len(PREFIXES) and "rgba(0, 0, 0, 0)" not in colours


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cite_this_page_opens_fits_a_phone_and_passes_axe(new_page, scheme):
    page = new_page("phone", color_scheme=scheme)
    page.goto("mechanisms/discs/")
    block = page.locator("details.cite-page")
    block.locator("summary").tap()
    assert block.locator("pre").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert block.locator("pre").evaluate("p => p.scrollWidth <= p.clientWidth")
    assert page.locator(".page-stamp").is_visible()
    assert violations(page, include=["details.cite-page", ".page-stamp"]) == []  # the page itself is in the sweeps
