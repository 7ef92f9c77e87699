"""Citations in a real browser: hover/focus previews on desktop, a tap-first panel on phones."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pybtex.database import parse_file

from conftest import BIB

PAGE = "mechanisms/discs/"  # a long page with many citations
CITATION = "article a.footnote-ref:visible"  # not those inside a closed "For clinicians" block
OPEN_ALL_DETAILS = "document.querySelectorAll('details').forEach(d => d.open = true)"
ENTRY_TEXT = """id => {
  const li = document.getElementById(id).cloneNode(true);
  li.querySelectorAll('.footnote-backref').forEach(a => a.remove());
  return li.textContent.replace(/\\s+/g, ' ').trim();
}"""


def key_of(link) -> str:
    return link.get_attribute("href").split("#fn:", 1)[1]


def entry_text(page, link) -> str:
    """The reference list entry the citation points to, as text (without its back-link)."""
    return page.evaluate(ENTRY_TEXT, "fn:" + key_of(link))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Desktop: one preview for every citation (assets/citations.js) --------------------------------

def test_hovering_a_citation_previews_its_own_reference(desktop):
    desktop.goto(PAGE)
    link = desktop.locator(CITATION).nth(4)
    link.hover()
    preview = desktop.locator("#citation-preview")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("role", "tooltip")
    expect(link).to_have_attribute("aria-describedby", "citation-preview")
    assert entry_text(desktop, link) in squash(preview.inner_text())
    assert desktop.url.endswith(PAGE), "hovering never navigates"
    # The pointer can move into the preview (to read or copy it) without it closing.
    box = preview.bounding_box()
    desktop.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    desktop.wait_for_timeout(400)
    expect(preview).to_be_visible()
    # Away from both, it closes and the citation no longer points to it.
    desktop.mouse.move(5, 790)
    expect(preview).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "citation-preview")


def test_hovering_another_citation_shows_that_one(desktop):
    desktop.goto(PAGE)
    links = desktop.locator(CITATION)
    keys = links.evaluate_all("links => links.map(a => a.hash)")
    other = next(i for i, key in enumerate(keys) if key != keys[0])
    links.first.hover()
    links.nth(other).hover()
    preview = desktop.locator("#citation-preview")
    expect(preview).to_be_visible()
    assert entry_text(desktop, links.nth(other)) in squash(preview.inner_text())
    expect(desktop.locator("#citation-preview")).to_have_count(1)  # one box, reused


def test_keyboard_focus_on_a_citation_previews_its_reference_and_escape_closes_it(desktop):
    desktop.goto(PAGE)
    for _ in range(120):  # Tab through the page until a citation has focus
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.matches('article a.footnote-ref')"):
            break
    else:
        pytest.fail("no citation is reachable with the Tab key")
    link = desktop.locator("article a.footnote-ref:focus")
    preview = desktop.locator("#citation-preview")
    expect(preview).to_be_visible()
    assert entry_text(desktop, link) in squash(preview.inner_text())
    expect(link).to_have_attribute("aria-describedby", "citation-preview")
    desktop.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(link).to_be_focused()  # dismissed without moving focus (WCAG 1.4.13)


def test_material_mounts_no_tooltip_per_citation(desktop):
    """The page's weight on a phone: one preview for all citations, not one tooltip each."""
    desktop.goto(PAGE)
    desktop.locator(CITATION).first.hover()
    expect(desktop.locator("#citation-preview")).to_be_visible()
    assert desktop.locator(".md-tooltip2").count() == 0
    assert desktop.locator("[role=tooltip]").count() <= 2  # the citation preview (+ a glossary box)


def test_desktop_click_still_goes_to_the_reference_list(desktop):
    desktop.goto(PAGE)
    link = desktop.locator(CITATION).first
    link.click()
    expect(desktop).to_have_url(re.compile("#fn:" + re.escape(key_of(link)) + "$"))
    expect(desktop.locator("#citation-panel")).to_have_count(0)


def test_no_preview_box_on_a_phone(phone):
    """On a phone the tap panel shows the reference; the hover preview never opens."""
    link, _ = open_panel_on_phone(phone)
    expect(phone.locator("#citation-panel")).to_be_visible()
    expect(phone.locator("#citation-preview:visible")).to_have_count(0)


# Phone: the panel ------------------------------------------------------------------------------

def open_panel_on_phone(phone):
    """Tap a citation far down the page (scrolled to the middle of the screen).

    Returns (link, scrollY just before the tap)."""
    phone.goto(PAGE)
    links = phone.locator(CITATION)
    tops = links.evaluate_all("links => links.map(a => a.getBoundingClientRect().top + scrollY)")
    index = next(i for i, top in enumerate(tops) if top > 2000)
    link = links.nth(index)
    phone.evaluate("y => window.scrollTo(0, y - innerHeight / 2)", tops[index])
    before = phone.evaluate("scrollY")
    assert before > 1000
    link.tap()
    return link, before


def test_tapping_a_citation_opens_its_reference_without_scrolling(phone):
    link, before = open_panel_on_phone(phone)
    panel = phone.locator("#citation-panel")
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("role", "dialog")
    assert abs(phone.evaluate("scrollY") - before) < 50
    assert phone.url.endswith(PAGE), "the tap must not follow the link"
    text = squash(panel.inner_text())
    assert f"Reference {link.inner_text().strip()}" in text
    assert entry_text(phone, link) in text
    # The DOI link of the entry is in the panel too.
    doi = phone.locator(f'[id="fn:{key_of(link)}"] a[href^="https://doi.org/"]')
    if doi.count():
        expect(panel.locator(f'a[href="{doi.first.get_attribute("href")}"]')).to_be_visible()
    # The panel is on screen, not off its edge.
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844


def test_escape_closes_the_panel_and_focus_returns_to_the_citation(phone):
    link, before = open_panel_on_phone(phone)
    panel = phone.locator("#citation-panel")
    expect(panel).to_be_visible()
    phone.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(link).to_be_focused()
    assert abs(phone.evaluate("scrollY") - before) < 50


def test_close_button_closes_the_panel_and_focus_returns(phone):
    link, _ = open_panel_on_phone(phone)
    panel = phone.locator("#citation-panel")
    panel.get_by_role("button", name="Close reference").tap()
    expect(panel).to_be_hidden()
    expect(link).to_be_focused()


def test_tapping_outside_closes_the_panel(phone):
    link, before = open_panel_on_phone(phone)
    panel = phone.locator("#citation-panel")
    expect(panel).to_be_visible()
    # A point of plain paragraph text (no link) outside the panel.
    point = phone.evaluate("""() => {
      const panel = document.getElementById('citation-panel').getBoundingClientRect();
      for (const p of document.querySelectorAll('article p')) {
        const r = p.getBoundingClientRect();
        const x = r.left + 3, y = r.top + 3;
        if (y < 60 || y > innerHeight - 10 || (y >= panel.top && y <= panel.bottom)) continue;
        const el = document.elementFromPoint(x, y);
        if (el && el.closest('p') === p && !el.closest('a')) return {x, y};
      }
      return null;
    }""")
    assert point, "no plain text outside the panel to tap"
    phone.touchscreen.tap(point["x"], point["y"])
    expect(panel).to_be_hidden()
    expect(link).to_be_focused()
    assert abs(phone.evaluate("scrollY") - before) < 50


def test_every_citation_is_a_24px_target_on_a_phone(phone):
    for url in ("", PAGE, "run-walk-trial/"):
        phone.goto(url)
        phone.evaluate(OPEN_ALL_DETAILS)
        boxes = phone.locator(CITATION).evaluate_all(
            "links => links.map(a => { const r = a.getBoundingClientRect(); return [a.textContent, r.width, r.height]; })")
        assert boxes, url
        small = [b for b in boxes if b[1] < 24 or b[2] < 24]
        assert not small, f"{url}: citations smaller than 24 x 24 px: {small[:5]}"


def first_author_and_year(entry) -> tuple[str | None, str]:
    persons = entry.persons.get("author")
    name = " ".join(persons[0].last_names).strip("{}") if persons else None
    return name, entry.fields.get("year", "n.d.")


def test_citation_names_say_reference_number_author_and_year(desktop):
    entries = parse_file(BIB).entries
    desktop.goto(PAGE)
    desktop.evaluate(OPEN_ALL_DETAILS)
    links = desktop.locator(CITATION)
    assert links.count() > 5
    for i in range(links.count()):
        link = links.nth(i)
        name, year = first_author_and_year(entries[key_of(link)])
        # Two works that would share a name ("Brinjikji 2015") add their short title after the year.
        expected = rf"^Reference {link.inner_text().strip()}: .*{re.escape(year)}(, .+)?$"
        expect(link).to_have_accessible_name(re.compile(expected))
        if name and "\\" not in name:
            expect(link).to_have_accessible_name(re.compile(re.escape(name)))


def test_mohd_isa_reads_as_in_the_issue(desktop):
    """A concrete name, as a screen reader says it."""
    desktop.goto(PAGE)
    link = desktop.locator(f'{CITATION}[href$="#fn:mohdisa2023discogenic"]').first
    expect(link).to_have_accessible_name(f"Reference {link.inner_text().strip()}: Mohd Isa 2023")


# Without JavaScript ----------------------------------------------------------------------------

def test_without_javascript_a_citation_links_to_its_list_entry(new_page):
    page = new_page("phone", java_script_enabled=False)
    page.goto(PAGE)
    link = page.locator(CITATION).nth(6)
    key = key_of(link)
    entry = page.locator(f'[id="fn:{key}"]')
    expect(entry).to_have_count(1)
    assert entry.evaluate("li => li.closest('div.footnote') !== null")
    link.tap()
    expect(page).to_have_url(re.compile(f"#fn:{re.escape(key)}$"))
    expect(entry).to_be_in_viewport()
    expect(page.locator("#citation-panel")).to_have_count(0)


def test_panel_shows_the_last_reference_of_the_home_page(phone):
    phone.goto("")
    link = phone.locator(CITATION).last
    link.scroll_into_view_if_needed()
    link.tap()
    expect(phone.locator("#citation-panel")).to_contain_text(entry_text(phone, link))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_with_the_desktop_preview_open(new_page, scheme):
    from .test_accessibility import violations

    page = new_page("desktop", color_scheme=scheme)
    page.goto(PAGE)
    page.locator(CITATION).nth(2).hover()
    expect(page.locator("#citation-preview")).to_be_visible()
    assert violations(page) == []
