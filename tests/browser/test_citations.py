"""Citations in a real browser: hover/focus previews on desktop, a tap-first panel on phones."""

from __future__ import annotations

import re

import pytest
from conftest import BIB
from playwright.sync_api import expect
from pybtex.database import parse_file

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


def test_hovering_a_citation_previews_its_own_reference_in_one_box(desktop):
    """Hover previews the citation's own entry; another citation reuses the one box (Material mounts
    no tooltip per citation: the page's weight on a phone); the pointer can move into the preview;
    away from both, it closes."""
    desktop.goto(PAGE)
    links = desktop.locator(CITATION)
    keys = links.evaluate_all("links => links.map(a => a.hash)")
    link = links.nth(4)
    other = links.nth(next(i for i, key in enumerate(keys) if key != keys[4]))
    link.hover()
    preview = desktop.locator("#citation-preview")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("role", "tooltip")
    expect(link).to_have_attribute("aria-describedby", "citation-preview")
    assert entry_text(desktop, link) in squash(preview.inner_text())
    assert desktop.url.endswith(PAGE), "hovering never navigates"
    assert desktop.locator(".md-tooltip2").count() == 0
    assert desktop.locator("[role=tooltip]").count() <= 2  # the citation preview (+ a glossary box)
    # The pointer can move into the preview (to read or copy it) without it closing.
    box = preview.bounding_box()
    desktop.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    desktop.wait_for_timeout(400)  # longer than the preview's 250 ms hide delay (assets/citations.js)
    expect(preview).to_be_visible()
    # Another citation shows its own entry, in the same box.
    other.hover()
    expect(preview).to_be_visible()
    assert entry_text(desktop, other) in squash(preview.inner_text())
    expect(desktop.locator("#citation-preview")).to_have_count(1)
    # Away from both, it closes and the citation no longer points to it.
    desktop.mouse.move(5, 790)
    expect(preview).to_be_hidden()
    expect(other).not_to_have_attribute("aria-describedby", "citation-preview")
    expect(link).not_to_have_attribute("aria-describedby", "citation-preview")


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


def test_desktop_click_still_goes_to_the_reference_list(desktop):
    desktop.goto(PAGE)
    link = desktop.locator(CITATION).first
    link.click()
    expect(desktop).to_have_url(re.compile("#fn:" + re.escape(key_of(link)) + "$"))
    expect(desktop.locator("#citation-panel")).to_have_count(0)


# Phone: the panel ------------------------------------------------------------------------------


def scroll_to_a_citation_far_down(phone):
    """A citation far down the page, scrolled to the middle of the screen: (link, scrollY)."""
    phone.goto(PAGE)
    links = phone.locator(CITATION)
    tops = links.evaluate_all("links => links.map(a => a.getBoundingClientRect().top + scrollY)")
    index = next(i for i, top in enumerate(tops) if top > 2000)
    phone.evaluate("y => window.scrollTo(0, y - innerHeight / 2)", tops[index])
    before = phone.evaluate("scrollY")
    assert before > 1000
    return links.nth(index), before


OUTSIDE_POINT = """() => {
  const panel = document.getElementById('citation-panel').getBoundingClientRect();
  for (const p of document.querySelectorAll('article p')) {
    const r = p.getBoundingClientRect();
    const x = r.left + 3, y = r.top + 3;
    if (y < 60 || y > innerHeight - 10 || (y >= panel.top && y <= panel.bottom)) continue;
    const el = document.elementFromPoint(x, y);
    if (el && el.closest('p') === p && !el.closest('a')) return {x, y};
  }
  return null;
}"""


def test_tapping_a_citation_opens_its_reference_without_scrolling(phone):
    """The tap panel shows the reference (the hover preview never opens on a phone), without
    scrolling or following the link, on screen."""
    link, before = scroll_to_a_citation_far_down(phone)
    link.tap()
    panel = phone.locator("#citation-panel")
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("role", "dialog")
    expect(phone.locator("#citation-preview:visible")).to_have_count(0)
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


def test_escape_the_close_button_or_a_tap_outside_close_the_panel_and_focus_returns(phone):
    link, before = scroll_to_a_citation_far_down(phone)
    panel = phone.locator("#citation-panel")
    for how in ("Escape", "the close button", "a tap outside"):
        link.tap()
        expect(panel).to_be_visible()
        if how == "Escape":
            phone.keyboard.press("Escape")
        elif how == "the close button":
            panel.get_by_role("button", name="Close reference").tap()
        else:
            point = phone.evaluate(OUTSIDE_POINT)  # plain paragraph text (no link) outside the panel
            assert point, "no plain text outside the panel to tap"
            phone.touchscreen.tap(point["x"], point["y"])
        expect(panel, f"{how} did not close the panel").to_be_hidden()
        expect(link, f"after {how}").to_be_focused()
        assert abs(phone.evaluate("scrollY") - before) < 50, how


def test_every_citation_is_a_24px_target_on_a_phone(phone):
    for url in ("", PAGE, "run-walk-trial/"):
        phone.goto(url)
        phone.evaluate(OPEN_ALL_DETAILS)
        boxes = phone.locator(CITATION).evaluate_all(
            "links => links.map(a => { const r = a.getBoundingClientRect(); return [a.textContent, r.width, r.height]; })"
        )
        assert boxes, url
        small = [b for b in boxes if b[1] < 24 or b[2] < 24]
        assert not small, f"{url}: citations smaller than 24 x 24 px: {small[:5]}"


def first_author_and_year(entry) -> tuple[str | None, str]:
    persons = entry.persons.get("author")
    name = " ".join(persons[0].last_names).strip("{}") if persons else None
    return name, entry.fields.get("year", "n.d.")


def accessible_names(page, selector: str) -> list[tuple[str, str, str]]:
    """(href, text, Chromium's accessible name) of each element the CSS selector finds, in page
    order: the name a screen reader is given, read from the browser's accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    found = []
    for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"][0]
        attributes = cdp.send("DOM.getAttributes", {"nodeId": node_id})["attributes"]
        href = dict(zip(attributes[::2], attributes[1::2]))["href"]
        text = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
        found.append((href, re.sub(r"<[^>]+>", "", text).strip(), ax.get("name", {}).get("value", "")))
    cdp.detach()
    return found


def test_citation_names_say_reference_number_author_and_year(desktop):
    entries = parse_file(BIB).entries
    desktop.goto(PAGE)
    desktop.evaluate(OPEN_ALL_DETAILS)
    names = accessible_names(desktop, "article a.footnote-ref")
    assert len(names) == desktop.locator(CITATION).count() > 5
    wrong = []
    for href, text, spoken in names:
        name, year = first_author_and_year(entries[href.split("#fn:", 1)[1]])
        # Two works that would share a name ("Brinjikji 2015") add their short title after the year.
        if not re.match(rf"^Reference {re.escape(text)}: .*{re.escape(year)}(, .+)?$", spoken):
            wrong.append((text, spoken))
        elif name and "\\" not in name and name not in spoken:
            wrong.append((text, spoken))
    assert wrong == []
    # A concrete name, as a screen reader says it.
    mohd_isa = [(text, spoken) for href, text, spoken in names if href.endswith("#fn:mohdisa2023discogenic")]
    assert mohd_isa and all(spoken == f"Reference {text}: Mohd Isa 2023" for text, spoken in mohd_isa)


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
    from helpers import axe_violations as violations

    page = new_page("desktop", color_scheme=scheme)
    page.goto(PAGE)
    page.locator(CITATION).nth(2).hover()
    expect(page.locator("#citation-preview")).to_be_visible()
    # The open preview and the citation it describes (the rest of the page is in the axe sweeps).
    assert (
        violations(page, include=["#citation-preview", "article a.footnote-ref[aria-describedby='citation-preview']"])
        == []
    )
