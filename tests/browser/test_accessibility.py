"""axe-core (bundled with axe-playwright-python, runs offline) finds no WCAG 2.0/2.1/2.2 A or AA
violation: on every page on a phone in the light scheme (the sweep in tests/browser/test_pages.py,
which loads each page once for all its checks), and on representative pages in the other three
combinations of scheme (light, dark) and device (phone, desktop)."""

from __future__ import annotations

import re

import pytest
from helpers import BARE_LINKS, EVERY_PAGE, HANDOUTS, axe_finish, axe_start, markdown_pages, page_url, settle
from helpers import axe_violations as violations

# The other three combinations run on representative pages: between them, every kind of block
# the Markdown markers draw (chart, trial card, studies table, care cards, share kit,
# bibliography, glossary, certainty, changes list, report a problem), the home page, which has
# a layout of its own, and a printed handout (all handouts share one template).
REPRESENTATIVE = [
    "",
    "run-walk-trial/",
    "when-to-get-help/",
    "share/",
    "references/",
    "glossary/",
    "changes/",
    "about/",
    "take-home/",
    "how-we-make/",
    HANDOUTS[0],
]  # take-home: care-sign; how-we-make: evidence-searches
COMBINATIONS = [("phone", "dark"), ("desktop", "light"), ("desktop", "dark")]


def markers(md) -> set[str]:
    """Kinds of marker a Markdown page uses: `<!-- chart x -->` -> 'chart', `<!-- share:sections` -> 'share'."""
    return set(re.findall(r"<!--\s*([a-z-]+)", md.read_text(encoding="utf-8")))


def test_the_representative_pages_hold_every_kind_of_marker():
    """A new kind of block (a new marker) must join a representative page, or this fails."""
    assert set(REPRESENTATIVE) <= set(EVERY_PAGE)
    used = {kind for md in markdown_pages() for kind in markers(md)}
    shown = {kind for md in markdown_pages() if page_url(md) in REPRESENTATIVE for kind in markers(md)}
    assert len(used) >= 5 and sorted(used - shown) == []


def test_no_axe_violations_on_the_representative_pages(new_page):
    """The three other combinations side by side: each page is opened in all three, then axe runs in
    the three renderers at once (the machine's cores share the work) and the results are collected."""
    pages = {f"{device}-{scheme}": new_page(device, color_scheme=scheme) for device, scheme in COMBINATIONS}
    found = []
    for url in REPRESENTATIVE:
        for name, page in pages.items():
            page.goto(url)
            expected = "slate" if name.endswith("dark") else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected
            axe_start(page)
        for name, page in pages.items():
            found += [f"{name}: {problem}" for problem in axe_finish(page) + page.evaluate(BARE_LINKS)]
    assert found == [], f"{len(found)} problems:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_with_the_citation_panel_or_search_open(new_page, scheme):
    page = new_page("phone", color_scheme=scheme)
    page.goto("mechanisms/discs/")
    page.locator("article a.footnote-ref:visible").nth(2).tap()
    assert page.locator("#citation-panel").is_visible()
    # The open panel and its citation (opening changes nothing else; the page is in the sweeps).
    found = violations(page, include=["#citation-panel", "article a.footnote-ref[aria-expanded='true']"])
    page.keyboard.press("Escape")
    page.locator("label.md-header__button[for='__search']").first.tap()
    page.locator("input.md-search__input").press_sequentially("disc", delay=30)
    page.locator(".md-search-result__item").first.wait_for()
    settle(page)  # results are redrawn per keystroke and fade in: check the final, still list
    found += violations(page, include=[".md-search"])
    assert found == []


def test_axe_does_find_violations_when_there_are_some(new_page):
    """The check itself works: a page with known problems fails it."""
    page = new_page("desktop")
    page.goto("")
    page.evaluate("""() => {
      document.querySelector('article').insertAdjacentHTML('afterbegin', '<p>Low contrast</p><img src="data:,">');
      const low = document.querySelector('article > p');  // styled through the CSSOM: the site's
      low.style.color = '#bbb';                            // policy refuses a style= attribute
      low.style.background = '#fff';
    }""")
    ids = " ".join(violations(page))
    assert "color-contrast" in ids and "image-alt" in ids
