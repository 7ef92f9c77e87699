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
    # report.js updates the link on hashchange, which fires after the hash has changed: wait for it.
    page.wait_for_function("document.querySelector('.report-problem a').href.includes('trial-discs')")
    assert fields_subject(page) == (
        "Problem on the page: Running and your discs (section: What the run-walk trial found about discs)"
    )
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


# Arriving through a citation or a change link: the heading the anchor sits under, never the raw id.


def test_arriving_through_a_citation_names_the_heading_above_it(new_page, base_url):
    page = new_page("phone")
    page.goto("run-walk-trial/#fnref13:neason2025running")
    fields = mail_fields(page)
    assert fields["subject"] == "Problem on the page: The run-walk trial (ASTEROID) (section: The programme)"
    assert "Section: The programme\r\n" in fields["body"]
    assert f"Address: {base_url}run-walk-trial/#fnref13%3Aneason2025running\r\n" in fields["body"]
    assert page.console.errors == []


def test_a_citation_in_a_box_before_the_first_section_names_the_box(new_page):
    page = new_page("desktop")
    page.goto("run-walk-trial/#fnref60:neason2025running")
    assert fields_subject(page) == "Problem on the page: The run-walk trial (ASTEROID) (section: Key points)"


def test_arriving_through_a_change_link_names_the_heading_above_it(new_page):
    page = new_page("desktop")
    page.goto("changes/#change-2026-12-02-when-to-get-help-emergency")
    subject = fields_subject(page)
    assert subject == "Problem on the page: Changes and corrections (section: All changes)", subject
    assert "change-2026" not in subject
