"""Deep links in a real browser: the section shows below the sticky header, through redirects and renames.

A clinician's link (page#section), opened fresh on a phone (390 x 844) or a desktop (1280 x 800),
must show that section's heading, not hide it under Material's sticky header. Every page's middle
section is opened that way by the two page sweeps in tests/browser/test_pages.py (one visit per page
for all their checks), with landing and middle_sections from tests/helpers.py. The site has no moved
page yet, so old addresses are tested on the links fixture site (tests/fixtures/links), built and
served here at its own site_url. The link-preview tags are read as a browser sees them.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading

import pytest
from conftest import free_port, run_build
from helpers import landing
from links_fixtures import make_links_project
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, QuietHandler

DEVICES = {"phone": PHONE, "desktop": DESKTOP}


def assert_lands_visibly(page, fragment: str, heading_id: str | None = None) -> dict:
    where, problem = landing(page, fragment, heading_id)
    assert problem is None, problem
    return where


@pytest.mark.parametrize("device", DEVICES)
def test_a_heading_scrolled_to_by_script_is_not_hidden_either(new_page, device):
    # Material's own margin applies only to the :target; a script can scroll to a heading that is
    # not the target.
    page = new_page(device)
    page.goto("run-walk-trial/#results")
    page.wait_for_load_state("load")
    page.evaluate("document.getElementById('limitations').scrollIntoView()")
    assert_lands_visibly(page, "limitations")


def test_a_link_to_another_pages_section_loads_it_afresh_and_lands_below_the_header(new_page):
    # No navigation.instant (issue 19): following a link is a fresh load, as arriving from a message is.
    page = new_page("phone")
    page.goto("mechanisms/")
    page.evaluate("window.__notReloaded = true")
    page.locator("article a[href$='run-walk-trial/#results']").first.click()
    expect(page).to_have_url(re.compile(r"run-walk-trial/#results$"))
    page.wait_for_load_state("load")
    assert page.evaluate("window.__notReloaded === undefined"), "the page was swapped in, not loaded"
    assert_lands_visibly(page, "results")


# Old addresses: a moved page (redirect) and a renamed section id, on the fixture site ---------------------


@contextlib.contextmanager
def served_fixture(tmp_path, case: str):
    """Build the links fixture with `case` for a free loopback port and serve it there."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    project = make_links_project(tmp_path / case, case)
    result = run_build(project, tmp_path / f"{case}-site", site_url=url)
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(QuietHandler, directory=str(tmp_path / f"{case}-site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory):
    with served_fixture(tmp_path_factory.mktemp("links"), "moved-page") as url:
        yield url


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory):
    with served_fixture(tmp_path_factory.mktemp("links"), "renamed-id") as url:
        yield url


@pytest.mark.parametrize("device", DEVICES)
def test_an_old_address_with_a_fragment_redirects_to_the_same_section(browser, moved_site, device):
    context = browser.new_context(**DEVICES[device])
    try:
        page = context.new_page()
        for section in ("pacing", "last-words"):
            page.goto(f"{moved_site}guide/#{section}")
            expect(page).to_have_url(f"{moved_site}training/guide/#{section}")
            assert_lands_visibly(page, section)
        page.goto(f"{moved_site}guide/")
        expect(page).to_have_url(f"{moved_site}training/guide/")
    finally:
        context.close()


@pytest.mark.parametrize("device", DEVICES)
def test_a_renamed_sections_old_id_lands_on_its_heading(browser, renamed_site, device):
    context = browser.new_context(**DEVICES[device])
    try:
        page = context.new_page()
        page.goto(f"{renamed_site}guide/#pacing")
        where = assert_lands_visibly(page, "pacing", heading_id="finding-your-pace")
        assert where["scrolled"] > 0
        page.goto(f"{renamed_site}guide/#finding-your-pace")
        assert assert_lands_visibly(page, "finding-your-pace")["top"] == pytest.approx(where["top"], abs=2)
    finally:
        context.close()
