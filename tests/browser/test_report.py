"""'Report a problem with this page' in a real browser: the #section a reader arrived at goes into the email."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit


def mail_fields(page) -> dict[str, str]:
    href = page.locator(".report-problem a.report-problem__email").get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and " " not in href and "+" not in parts.query
    return {key: unquote(value) for key, value in (part.split("=", 1) for part in parts.query.split("&"))}


def test_arriving_by_a_section_link_names_the_section(new_page, base_url):
    page = new_page("phone")
    page.goto("run-walk-trial/#side-effects")
    fields = mail_fields(page)
    assert fields["subject"] == "Problem on the page: The run-walk trial (ASTEROID) (section: Side effects)"
    assert f"Section: Side effects\r\nAddress: {base_url}run-walk-trial/#side-effects\r\n" in fields["body"]
    assert page.console.errors == []


def test_following_a_section_link_on_the_page_updates_the_link(new_page, base_url):
    page = new_page("desktop")
    page.goto("mechanisms/discs/")
    assert fields_subject(page) == "Problem on the page: Running and your discs"
    page.locator('article .page-changes a[href$="#trial-discs"]').first.click()  # a section link on the page
    page.wait_for_function("location.hash === '#trial-discs'")
    assert fields_subject(page) == ("Problem on the page: Running and your discs "
                                    "(section: What the run-walk trial found about discs)")
    assert f"Address: {base_url}mechanisms/discs/#trial-discs" in mail_fields(page)["body"]


def test_after_following_a_link_to_another_page_the_link_names_that_page_and_section(new_page):
    page = new_page("desktop")
    page.goto("")
    page.locator('article a[href$="how-common/#fair-comparison"]').first.click()
    page.wait_for_url("**/how-common/#fair-comparison")
    page.wait_for_function("document.querySelector('.report-problem a').href.includes('Comparing')")
    assert fields_subject(page) == "Problem on the page: How common is back pain? (section: Comparing like with like)"


def test_without_javascript_the_link_still_names_the_page(new_page, base_url):
    page = new_page("phone", java_script_enabled=False)
    page.goto("run-walk-trial/#side-effects")
    fields = mail_fields(page)
    assert fields["subject"] == "Problem on the page: The run-walk trial (ASTEROID)"
    assert f"Address: {base_url}run-walk-trial/\r\n" in fields["body"]


def fields_subject(page) -> str:
    return mail_fields(page)["subject"]
