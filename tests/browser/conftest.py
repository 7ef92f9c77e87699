"""Browser fixtures: the session's one build served at its site_url, one Chromium per session.

Debian's Chromium is driven through Playwright's executable_path (no browser download; `make test`
installs the chromium package when it is missing). Each test gets a fresh context (clean storage).
Every page made by new_page (desktop, phone) records Content-Security-Policy violations, and a test
whose pages had any fails at teardown: search, the colour toggle, previews, copy-link, the share kit,
the report link and printing are all tested under the policy (tests/browser/test_csp.py).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from helpers import (  # noqa: F401  (re-exported for the browser test modules)
    AXE_TAGS,
    CHROMIUM_ARGS,
    DESKTOP,
    PAGES,
    PHONE,
    TITLES,
    Console,
    QuietHandler,
)
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="session")
def base_url(site) -> str:
    """Serve the session's build on the loopback port it was built for; the site's root URL."""
    assert site.returncode == 0, site.log
    parts = urlsplit(site.url)
    handler = functools.partial(QuietHandler, directory=str(site.root))
    server = http.server.ThreadingHTTPServer((parts.hostname, parts.port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site.url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which(executable):
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, base_url):
    """Factory: new_page(device="desktop"|"phone", **context options) -> a page in a fresh context."""
    contexts, pages = [], []

    def make(device: str = "desktop", **options):
        settings = dict(PHONE if device == "phone" else DESKTOP, base_url=base_url, **options)
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.console = Console(page)
        pages.append(page)
        return page

    yield make
    for page in pages:  # a round trip, so a violation reported just before is in
        try:
            page.evaluate("0")
        except Exception:  # closed or crashed: nothing more can arrive from it
            pass
    violations = [line for page in pages for line in page.console.violations]
    for context in contexts:
        context.close()
    if violations:  # every browser test, whatever it checks, runs under the site's Content-Security-Policy
        pytest.fail(f"{len(violations)} Content-Security-Policy violations:\n" + "\n".join(violations[:20]))


@pytest.fixture
def desktop(new_page):
    return new_page("desktop")


@pytest.fixture
def phone(new_page):
    return new_page("phone")
