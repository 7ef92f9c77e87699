"""axe-core (bundled with axe-playwright-python, runs offline) finds no WCAG 2.0/2.1/2.2 A or AA
violation on any page, in the light and dark schemes, on a desktop and a phone."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import AXE_TAGS, PAGES

AXE = Axe()
OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def violations(page) -> list[str]:
    result = AXE.run(page, options=OPTIONS)
    assert result.response["testEngine"]["name"] == "axe-core"
    return [f"{page.url}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"]]


SETTLE = """() => new Promise(resolve => {
  let timer;
  const done = () => { observer.disconnect(); resolve(); };
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 400); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(done, 400);
})"""


def settle(page) -> None:
    """Wait until the page has not changed for 400 ms and no CSS transition is running."""
    page.evaluate(SETTLE)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_on_any_page(new_page, device, scheme):
    page = new_page(device, color_scheme=scheme)
    found = []
    for url in PAGES:
        page.goto(url)
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        found += violations(page)
    assert found == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_with_the_citation_panel_or_search_open(new_page, scheme):
    page = new_page("phone", color_scheme=scheme)
    page.goto("mechanisms/discs/")
    page.locator("article a.footnote-ref:visible").nth(2).tap()
    assert page.locator("#citation-panel").is_visible()
    found = violations(page)
    page.keyboard.press("Escape")
    page.locator("label.md-header__button[for='__search']").first.tap()
    page.locator("input.md-search__input").press_sequentially("disc", delay=30)
    page.locator(".md-search-result__item").first.wait_for()
    settle(page)  # results are redrawn per keystroke and fade in: check the final, still list
    found += violations(page)
    assert found == []


def test_axe_does_find_violations_when_there_are_some(new_page):
    """The check itself works: a page with known problems fails it."""
    page = new_page("desktop")
    page.goto("")
    page.evaluate("""() => {
      document.querySelector('article').insertAdjacentHTML('afterbegin',
        '<p style="color:#bbb;background:#fff">Low contrast</p><img src="data:,">');
    }""")
    ids = " ".join(violations(page))
    assert "color-contrast" in ids and "image-alt" in ids


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_links_in_text_are_underlined(new_page, scheme):
    """Colour alone must not mark a link (WCAG 1.4.1). axe cannot always decide this rule (it can
    report it as "incomplete" rather than a violation), so check the computed style directly."""
    page = new_page("phone", color_scheme=scheme)
    bare = []
    for url in ("", "about/", "mechanisms/discs/"):
        page.goto(url)
        bare += page.locator("article p a, article li a").evaluate_all("""links => links
          .filter(a => !a.matches('.headerlink, .footnote-backref') && a.getClientRects().length)
          .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline'))
          .map(a => location.pathname + ': ' + a.textContent.trim())""")
    assert bare == []
