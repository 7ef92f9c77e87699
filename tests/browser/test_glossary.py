"""Glossary words open their definition on hover (desktop), tap (phone) and keyboard focus, and
the page stays accessible with a definition open."""

from __future__ import annotations

import pytest
from conftest import ROOT
from helpers import axe_violations as violations

from backpain_site.features import glossary

TERMS, _ = glossary.parse_glossary((ROOT / glossary.SOURCE).read_text(encoding="utf-8"))
DEFINITIONS = glossary.abbreviations(TERMS)
PAGE = "mechanisms/discs/"


def first_term(page):
    term = page.locator("article p abbr.glossary-term:visible").first
    term.wait_for()
    return term


def test_hover_shows_the_definition_on_desktop(desktop):
    desktop.goto(PAGE)
    term = first_term(desktop)
    tip = desktop.locator("#glossary-tip")
    term.hover()
    assert tip.is_visible()
    assert tip.inner_text() == DEFINITIONS[term.inner_text()]
    assert term.get_attribute("aria-describedby") == "glossary-tip"
    desktop.mouse.move(5, 700)
    tip.wait_for(state="hidden")
    assert term.get_attribute("aria-describedby") is None


def test_keyboard_focus_shows_the_definition_and_escape_hides_it(desktop):
    desktop.goto(PAGE)
    first_term(desktop)
    focusable = desktop.locator("article abbr.glossary-term[tabindex='0']")
    # The build marks a word once per section: each marked word outside a control is one tab stop.
    marked = desktop.locator("article abbr.glossary-term")
    desktop.wait_for_function("() => !document.querySelector('article abbr[title]:not(dfn abbr)')")
    in_controls = desktop.locator("article :is(a, button, summary) abbr.glossary-term").count()
    assert focusable.count() == marked.count() - in_controls > 0
    # ... and one per word per section, not one per use: no word is marked twice between two H2s.
    repeats = desktop.evaluate("""() => {
      let seen = new Set(), repeats = [];
      for (const el of document.querySelectorAll("article h2, article abbr.glossary-term")) {
        if (el.tagName === "H2") { seen = new Set(); continue; }
        if (el.closest(".page-changes")) continue;
        const definition = el.getAttribute("data-definition");
        if (seen.has(definition)) repeats.push(el.textContent);
        seen.add(definition);
      }
      return repeats;
    }""")
    assert repeats == []
    term = focusable.first
    term.focus()
    tip = desktop.locator("#glossary-tip")
    assert tip.is_visible() and tip.inner_text() == DEFINITIONS[term.inner_text()]
    desktop.keyboard.press("Escape")
    assert tip.is_hidden()


def test_tap_shows_the_definition_on_a_phone(phone):
    phone.goto(PAGE)
    term = first_term(phone)
    tip = phone.locator("#glossary-tip")
    term.tap()
    assert tip.is_visible()
    assert tip.inner_text() == DEFINITIONS[term.inner_text()]
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"definition box off screen: {box}"
    # A tap elsewhere closes it; a second tap on the word toggles it.
    phone.locator("article h1").tap()
    assert tip.is_hidden()
    term.tap()
    assert tip.is_visible()
    term.tap()
    assert tip.is_hidden()
    assert phone.console.errors == []


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_with_a_definition_open(new_page, device, scheme):
    page = new_page(device, color_scheme=scheme)
    page.goto(PAGE)
    term = first_term(page)
    term.tap() if device == "phone" else term.hover()
    assert page.locator("#glossary-tip").is_visible()
    # The open definition and the word that opened it (the rest of the page is in the axe sweeps).
    assert (
        violations(page, include=["#glossary-tip", "article abbr.glossary-term[aria-describedby='glossary-tip']"]) == []
    )
