"""The Content-Security-Policy in a real browser: a built page with an inline script injected into
its HTML (as a stored cross-site-scripting hole would put one there) runs none of it, while the page's
own scripts still work. Every other browser test runs under the policy too: tests/browser/conftest.py
fails any test whose pages had a violation, and tests/browser/test_pages.py's sweeps check every page
(the built HTML's hashes: tests/test_csp.py)."""
from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT

INJECTED = ('<script>window.__injectedRan = true</script>'
            '<img src="data:," alt="" onload="window.__handlerRan = true">')


def serve_injected(page, site, url: str) -> str:
    """Serve the built page at `url` with INJECTED added just before </article> (its copy, not the site's)."""
    html = (site.root / url / "index.html").read_text(encoding="utf-8")
    assert html.count("</article>") == 1
    injected = html.replace("</article>", INJECTED + "</article>")
    page.route(f"**/{url}", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=injected))
    return injected


def test_an_injected_inline_script_and_handler_are_blocked_and_the_page_still_works(site, new_page):
    page = new_page("phone")
    serve_injected(page, site, "how-common/")
    page.goto("how-common/")
    expect(page.locator(".md-content article h1")).to_be_visible()
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.__injectedRan === true") is False, "the injected script ran"
    assert page.evaluate("window.__handlerRan === true") is False, "the injected onload= handler ran"
    blocked = page.evaluate("window.__cspViolations.slice()")
    assert [v.split(" ")[0] for v in blocked] == ["script-src-elem", "script-src-attr"], blocked
    # The page's own scripts, Material's and ours, still run: a citation opens its reference.
    citation = page.locator("article a.footnote-ref:visible").first
    citation.scroll_into_view_if_needed()
    citation.tap()
    expect(page.locator("#citation-panel")).to_be_visible()
    page.console.violations.clear()  # expected here; any other test with one fails (conftest.py)


def instant_navigation() -> bool:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return "navigation.instant" in config["theme"].get("features", [])


@pytest.mark.skipif(not instant_navigation(), reason="navigation.instant is off in mkdocs.yml: every page "
                    "loads afresh under its own policy (the other tests here and the sweeps cover that)")
def test_an_injected_script_reached_by_instant_navigation_is_blocked_too(site, new_page):
    """Material swaps the next page's body in and re-runs its inline scripts: the injected one meets
    the policy of the page the reader started on (and the next page's, which Material adds to the
    head), and is refused."""
    page = new_page("desktop")
    serve_injected(page, site, "about/")
    page.goto("")
    page.evaluate("window.__notReloaded = true")
    page.locator("a[href$='about/']").first.click()
    expect(page.locator(".md-content article h1")).to_have_text("About this site")
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded, not swapped in"
    page.wait_for_function("window.__cspViolations.length >= 1")
    assert page.evaluate("window.__injectedRan === true") is False, "the injected script ran"
    page.console.violations.clear()
