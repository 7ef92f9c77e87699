"""Every page in a real browser: loads cleanly, search, dark mode, instant navigation, privacy, print."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from helpers import PAGES, ROOT, TITLES, pdf_text

SITE_NAME = yaml.safe_load(
    re.search(r"^site_name:.*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(0))["site_name"]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_page_loads_with_its_title_no_console_errors_and_no_request_elsewhere(new_page, base_url, device):
    """Every page, on both devices: loads, has its title and heading, logs no error, and asks
    nothing of another origin (no fonts, scripts or trackers from elsewhere: the site works offline
    and tells no third party who reads it). On the desktop, searching loads the worker and index too."""
    assert len(PAGES) >= 10
    page = new_page(device)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    for url in PAGES:
        response = page.goto(url)
        assert response.ok, url
        expected = SITE_NAME if url == "" else f"{TITLES[url]} - {SITE_NAME}"
        expect(page).to_have_title(expected)
        expect(page.locator(".md-content article h1")).to_have_text(TITLES[url])
        page.wait_for_load_state("networkidle")
    if device == "desktop":
        page.locator("input.md-search__input").press_sequentially("disc", delay=30)
        page.wait_for_load_state("networkidle")
        assert any("search" in r for r in requests), "the search worker or index was not loaded"
    assert page.console.errors == []
    assert len(requests) > len(PAGES), "requests were not recorded"
    foreign = sorted({r for r in requests if not r.startswith(origin + "/") and not r.startswith("data:")})
    assert foreign == []


def test_search_finds_the_disc_page(desktop):
    desktop.goto("")
    desktop.locator("input.md-search__input").click()
    desktop.locator("input.md-search__input").press_sequentially("disc", delay=30)
    result = desktop.locator(".md-search-result__item a[href*='mechanisms/discs/']").first
    expect(result).to_be_visible(timeout=15_000)
    result.click()
    expect(desktop).to_have_url(re.compile(r"mechanisms/discs/"))
    expect(desktop.locator(".md-content article h1")).to_have_text(TITLES["mechanisms/discs/"])


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_toggle_works_and_persists_across_pages(new_page):
    page = new_page("desktop", color_scheme="light")
    page.goto("")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = background(page)
    page.locator("label[title='Switch to dark mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    dark = background(page)
    assert dark != light
    page.goto("about/")  # a full page load, not instant navigation
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert background(page) == dark
    page.locator("label[title='Switch to light mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def test_instant_navigation_keeps_the_page_and_reinitialises_citations(new_page):
    page = new_page("phone")
    page.goto("")
    page.evaluate("window.__notReloaded = true")
    link = page.locator("article a[href*='mechanisms/discs/']").first
    link.scroll_into_view_if_needed()
    link.tap()
    expect(page).to_have_url(re.compile(r"mechanisms/discs/(#.*)?$"))
    expect(page.locator(".md-content article h1")).to_have_text(TITLES["mechanisms/discs/"])
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded, not swapped in"
    # Citations on the new page open the new page's references.
    citation = page.locator("article a.footnote-ref:visible").first
    citation.tap()
    key = citation.get_attribute("href").split("#", 1)[1]
    entry = page.locator(f'[id="{key}"]').inner_text().replace("↩", "").strip()
    expect(page.locator("#citation-panel")).to_contain_text(entry[:80])
    assert page.console.errors == []


def test_printing_a_page_includes_its_reference_list(desktop):
    desktop.goto("run-walk-trial/")
    entries = desktop.locator("div.footnote > ol > li")
    assert entries.count() > 3
    # The last entry: the one that would be lost if the list were cut or hidden in print.
    last = entries.last.evaluate(
        "li => { const c = li.cloneNode(true); c.querySelectorAll('.footnote-backref').forEach(a => a.remove());"
        " return c.textContent; }")
    text = pdf_text(desktop.pdf(format="A4"))
    assert "References" in text
    assert re.sub(r"\s+", "", unicodedata.normalize("NFKC", last))[:60] in text
