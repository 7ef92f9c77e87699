"""The share kit in a real browser: copy-link buttons (clipboard, announcement, keyboard, failure,
no JavaScript), QR codes that decode to the URL printed beside them, and printing to PDF.

Expected URLs come from the Markdown sources (tests/features/sharing/test_share.py's helpers), not from the pages."""

from __future__ import annotations

import io
import re

import pytest
from conftest import DOCS, page_url
from helpers import CONTENT, decode, decode_image, pdf_pages, written_h2s
from helpers import axe_violations as violations
from helpers import squash_printed as squash
from PIL import Image
from playwright.sync_api import expect

CLIPBOARD = ["clipboard-read", "clipboard-write"]
PAGE = DOCS / "how-common.md"


def button_for(page, section_id: str):
    return page.locator(f'article h2[id="{section_id}"] + button.section-link')


# copy-link buttons -----------------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_copy_button_puts_the_exact_section_url_on_the_clipboard_and_announces_it(new_page, base_url, device):
    page = new_page(device, permissions=CLIPBOARD)
    page.goto(page_url(PAGE))
    sections = written_h2s(PAGE)
    for _, section_id in sections:
        expect(button_for(page, section_id)).to_be_visible()
    status = page.locator("#section-link-status[role=status]")
    expect(status).to_have_count(1)
    expect(status).to_have_text("")  # the live region exists before anything is announced

    _, section_id = sections[1]
    button = button_for(page, section_id)
    if device == "phone":
        button.tap()
    else:
        button.click()
    expect(status).to_have_text("Link copied")
    expect(button).to_contain_text("Link copied")  # seen, not only heard
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}{page_url(PAGE)}#{section_id}"
    if device == "desktop":
        expect(button).to_contain_text("Copy link", timeout=5_000)  # and back, ready for the next press
    assert page.evaluate("b => !b.previousElementSibling.contains(b)", button.element_handle())
    assert page.console.errors == []


def test_the_copy_button_works_from_the_keyboard(new_page, base_url):
    page = new_page("desktop", permissions=CLIPBOARD)
    page.goto(page_url(PAGE))
    _, section_id = written_h2s(PAGE)[2]
    # Tab order: the heading's own permalink, then its copy button.
    page.locator(f'h2[id="{section_id}"] a.headerlink').focus()
    page.keyboard.press("Tab")
    expect(button_for(page, section_id)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#section-link-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}{page_url(PAGE)}#{section_id}"
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press("Space")
    page.wait_for_function(
        "async url => (await navigator.clipboard.readText()) === url", arg=f"{base_url}{page_url(PAGE)}#{section_id}"
    )


def test_when_copying_fails_the_link_is_shown_selected(new_page, base_url):
    page = new_page("desktop")
    page.add_init_script("""
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      document.execCommand = () => false;
    """)
    page.goto(page_url(PAGE))
    _, section_id = written_h2s(PAGE)[0]
    button_for(page, section_id).click()
    field = page.locator(f'h2[id="{section_id}"] + button.section-link + .section-link__manual input')
    expected = f"{base_url}{page_url(PAGE)}#{section_id}"
    expect(field).to_have_value(expected)
    expect(field).to_be_focused()
    assert (
        page.evaluate(
            "() => { const f = document.activeElement; return f.value.slice(f.selectionStart, f.selectionEnd); }"
        )
        == expected
    )
    expect(page.locator("#section-link-status")).to_contain_text("Could not copy")
    # The heading, its button and the shown link (the rest of the page is in the axe sweeps).
    heading = f'h2[id="{section_id}"]'
    assert (
        violations(
            page,
            include=[
                heading,
                f"{heading} + button.section-link",
                f"{heading} + button.section-link + .section-link__manual",
                "#section-link-status",
            ],
        )
        == []
    )


def test_copy_buttons_take_their_place_before_the_script_runs(new_page):
    """No layout shift when share.js shows the buttons: with scripts on, they are laid out from the
    first paint (the head marks <html class="js">), before any script file has run (here: none loads,
    neither share.js nor Material's bundle, which marks the page too, but only at its end)."""
    page = new_page("phone")
    page.route("**/*.js", lambda route: route.abort())
    page.goto(page_url(PAGE))
    _, section_id = written_h2s(PAGE)[0]
    button = button_for(page, section_id)
    expect(button).to_be_visible()
    assert button.bounding_box()["height"] >= 24


def test_without_javascript_no_copy_button_shows_and_permalinks_remain(new_page):
    page = new_page("desktop", java_script_enabled=False)
    page.goto(page_url(PAGE))
    buttons = page.locator("article button.section-link")
    assert buttons.count() == len(page.locator("article h2").all()) > 0
    for button in buttons.all():
        expect(button).to_be_hidden()
    for _, section_id in written_h2s(PAGE):
        expect(page.locator(f'h2[id="{section_id}"] a.headerlink[href="#{section_id}"]')).to_have_count(1)


# QR codes -------------------------------------------------------------------------------------------


def test_every_qr_code_on_the_share_page_decodes_to_the_url_printed_beside_it(new_page, base_url):
    page = new_page("desktop")
    page.goto("share/")
    expected = {f"{base_url}{page_url(md)}#{section_id}" for md in CONTENT for _, section_id in written_h2s(md)}
    cards = page.locator("article li.share-card")
    assert cards.count() == len(expected)
    # One screenshot of the whole page; each card's code is cut out of it where the page drew it.
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    drawn = cards.evaluate_all("""cards => cards.map(card => {
      const qr = card.querySelector('svg.share-qr'), box = qr.getBoundingClientRect();
      return {url: card.querySelector('.share-card__url').innerText.trim(), role: qr.getAttribute('role'),
              label: qr.getAttribute('aria-label'),
              box: [box.left + scrollX, box.top + scrollY, box.right + scrollX, box.bottom + scrollY]};
    })""")
    scale = shot.width / page.viewport_size["width"]
    printed = set()
    for card in drawn:
        url = card["url"]
        assert card["role"] == "img" and url in card["label"]
        assert decode_image(shot.crop(tuple(round(v * scale) for v in card["box"]))) == [url], url
        printed.add(url)
    assert printed == expected


def test_a_qr_code_decoder_that_reads_anything_would_fail_here(new_page):
    """The check can fail: a QR code for another URL does not decode to the printed one."""
    page = new_page("desktop")
    page.goto("share/")
    first, second = page.locator("article li.share-card").nth(0), page.locator("article li.share-card").nth(1)
    assert decode(second.locator("svg.share-qr").screenshot()) != [
        first.locator(".share-card__url").inner_text().strip()
    ]
    assert decode(page.locator("article h1").screenshot()) == []


# printing -------------------------------------------------------------------------------------------

CHROME_TEXT = """() => {
  const parts = [...document.querySelectorAll(
    '.md-header, .md-tabs, .md-sidebar, .md-footer, .md-top, article button.section-link')];
  const lines = parts.flatMap(el => el.textContent.split('\\n')).map(s => s.trim()).filter(Boolean);
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('button.section-link').forEach(b => b.remove());
  return {chrome: [...new Set(lines)], article: article.textContent};
}"""

STAMP = "Page last reviewed: 1 January 2026 · Next review due: 1 January 2027"


def test_a_printed_page_has_no_navigation_and_keeps_its_url_references_and_review_date(desktop, base_url):
    url = "run-walk-trial/"
    desktop.goto(url)
    if desktop.locator(".page-stamp").count() == 0:  # the review stamp comes from another branch
        desktop.evaluate(f"""() => {{ const p = document.createElement('p'); p.className = 'page-stamp';
            p.textContent = {STAMP!r}; document.querySelector('article .print-url').before(p); }}""")
    stamp = desktop.locator(".page-stamp").inner_text()
    texts = desktop.evaluate(CHROME_TEXT)
    article = squash(texts["article"])
    navigation = [line for line in texts["chrome"] if squash(line) not in article]
    assert "Copy link" in navigation and len(navigation) > 10, navigation
    last_reference = desktop.locator("div.footnote > ol > li").last.evaluate(
        "li => { const c = li.cloneNode(true); c.querySelectorAll('.footnote-backref').forEach(a => a.remove());"
        " return c.textContent; }"
    )
    clinicians = desktop.locator("article details").first.locator("p, li").first.text_content()

    printed = "".join(pdf_pages(desktop.pdf(format="A4")))
    assert [line for line in navigation if squash(line) in printed] == []
    assert squash(f"{base_url}{url}") in printed
    assert "References" in printed and squash(last_reference)[:60] in printed
    assert squash(stamp) in printed
    assert squash(clinicians)[:60] in printed, "the 'For clinicians' blocks print open"


def test_printing_in_dark_mode_gives_dark_text_on_white_paper(new_page):
    page = new_page("desktop", color_scheme="dark")
    page.goto(page_url(PAGE))
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.emulate_media(media="print", color_scheme="dark")
    colours = page.evaluate("""() => [getComputedStyle(document.querySelector('article p')).color,
                                      getComputedStyle(document.querySelector('article a[href]')).color]""")
    for colour in colours:
        red, green, blue = (int(v) for v in re.findall(r"\d+", colour)[:3])
        assert max(red, green, blue) < 110, f"{colour} is too light for white paper"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_share_page_never_splits_a_card_between_sheets(desktop, paper):
    desktop.goto("share/")
    cards = desktop.locator("article li.share-card").evaluate_all(
        "cards => cards.map(c => [...c.querySelectorAll('p')].map(p => p.textContent))"
    )
    sheets = pdf_pages(desktop.pdf(format=paper))
    assert len(sheets) > 1
    split = [card[-1] for card in cards if not any(all(squash(t) in sheet for t in card) for sheet in sheets)]
    assert split == []


def test_for_clinicians_blocks_print_open_even_without_javascript(new_page):
    """Material opens <details> before printing; without its script the print stylesheet shows them."""
    page = new_page("desktop", java_script_enabled=False)
    page.goto(page_url(PAGE))
    blocks = page.locator("article details:not([open])").filter(has=page.locator("summary", has_text="For clinicians"))
    assert blocks.count() > 0
    inside = [squash(block.locator("p, li").first.text_content())[:60] for block in blocks.all()]
    printed = "".join(pdf_pages(page.pdf(format="A4")))
    assert [text for text in inside if text not in printed] == []
