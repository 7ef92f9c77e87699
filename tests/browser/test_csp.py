"""The Content-Security-Policy in a real browser: a built page with an inline script injected into
its HTML (as a stored cross-site-scripting hole would put one there) runs none of it, while the page's
own scripts still work. Every other browser test runs under the policy too: tests/browser/conftest.py
fails any test whose pages had a violation, and tests/browser/test_pages.py's sweeps check every page
(the built HTML's hashes: tests/features/csp/test_csp.py)."""

from __future__ import annotations

from playwright.sync_api import expect

INJECTED = '<script>window.__injectedRan = true</script><img src="data:," alt="" onload="window.__handlerRan = true">'


def serve_injected(page, site, url: str) -> str:
    """Serve the built page at `url` with INJECTED added just before </article> (its copy, not the site's)."""
    html = (site.root / url / "index.html").read_text(encoding="utf-8")
    assert html.count("</article>") == 1
    injected = html.replace("</article>", INJECTED + "</article>")
    page.route(
        f"**/{url}", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=injected)
    )
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
