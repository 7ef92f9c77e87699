"""Evidence charts and badges in a real browser: a 390 px phone, both colour schemes."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import BIB, ROOT

from backpain_site.features.citations.bibtex import scan_file
from backpain_site.features.studies.data import DESIGNS, parse
from backpain_site.features.studies.project import DATA_FILE

from .conftest import AXE_TAGS

DATA = parse(
    (ROOT / DATA_FILE).read_text(encoding="utf-8"),
    "data/studies.yml",
    {e.key for e in scan_file(BIB, "references.bib").entries},
)[0]
CHART_PAGES = ["how-common/", "run-walk-trial/"]
FONT_FLOOR = 12  # px, the smallest text a chart may show

# WCAG 2 contrast ratio of two CSS colours, computed in the page (alpha blended onto the background).
CONTRAST = """([fg, bg]) => {
  const pixel = (...colours) => { const c = document.createElement('canvas').getContext('2d');
    for (const colour of colours) { c.fillStyle = colour; c.fillRect(0, 0, 1, 1); }
    return Array.from(c.getImageData(0, 0, 1, 1).data).slice(0, 3); };
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const a = lum(pixel('#fff', bg, fg)), b = lum(pixel('#fff', bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
BACKGROUND = "getComputedStyle(document.body).backgroundColor"


@pytest.mark.parametrize("url", CHART_PAGES)
def test_chart_fits_a_390px_phone_with_readable_text(new_page, url):
    page = new_page("phone")
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    for chart in page.locator("svg.evidence-chart__svg").all():
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        # Rendered size of the smallest text: its font size in SVG units times the SVG's scale.
        smallest = chart.evaluate("""svg => {
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return Math.min(...Array.from(svg.querySelectorAll('text'),
                          t => parseFloat(getComputedStyle(t).fontSize) * scale));
        }""")
        assert smallest >= FONT_FLOOR, f"{url}: chart text is {smallest:.1f} px"
        # Nothing in the chart is cut off: every text fits inside the SVG's box.
        outside = chart.evaluate("""svg => { const r = svg.getBoundingClientRect();
          return Array.from(svg.querySelectorAll('text')).filter(t => { const b = t.getBoundingClientRect();
            return b.left < r.left - 0.5 || b.right > r.right + 0.5; }).map(t => t.textContent); }""")
        assert outside == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_colours_have_enough_contrast(new_page, scheme):
    page = new_page("phone", color_scheme=scheme)
    found = []
    for url in CHART_PAGES:
        page.goto(url)
        background = page.evaluate(BACKGROUND)
        svg = page.locator("svg.evidence-chart__svg").first
        text = svg.evaluate("s => getComputedStyle(s.querySelector('text')).fill")
        marks = svg.evaluate(
            "s => Array.from(s.querySelectorAll('.evidence-chart__bar, .evidence-chart__dot'), "
            "e => getComputedStyle(e).fill)"
        )
        lines = svg.evaluate(
            "s => Array.from(s.querySelectorAll('.evidence-chart__interval, .evidence-chart__zero'), "
            "e => getComputedStyle(e).stroke)"
        )
        assert marks, "no bars or dots found"
        for colour, floor, what in [(text, 4.5, "text")] + [(c, 3, "mark") for c in marks + lines]:
            ratio = page.evaluate(CONTRAST, [colour, background])
            if ratio < floor:
                found.append(f"{url} {scheme}: {what} {colour} on {background} is {ratio:.2f}:1 (needs {floor}:1)")
        result = Axe().run(
            page,
            context={"include": [["figure.evidence-chart"], [".trial-card"], [".studies-table"]]},
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        found += [f"{url} {scheme}: axe {v['id']}" for v in result.response["violations"]]
    assert found == []


def test_contrast_check_can_fail(new_page):
    page = new_page("desktop")
    page.goto("")
    assert page.evaluate(CONTRAST, ["#777777", "#888888"]) < 1.5
    assert round(page.evaluate(CONTRAST, ["#000000", "#ffffff"])) == 21


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tapping_a_citation_shows_its_evidence_badge_in_the_panel(new_page, scheme):
    page = new_page("phone", color_scheme=scheme)
    page.goto("run-walk-trial/")
    link = page.locator("article a.footnote-ref:visible").first
    key = link.get_attribute("href").split("#fn:", 1)[1]
    study = DATA.studies[key]
    link.tap()
    badge = page.locator("#citation-panel .evidence-badge")
    badge.wait_for()
    assert badge.is_visible()
    shown = " ".join(badge.inner_text().split())
    assert DESIGNS[study.design] in shown
    if study.size:
        assert f"{study.size.count:,} {study.size.unit}" in shown
    box = badge.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the badge is cut off on a phone"
    colours = badge.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    panel_bg = page.locator("#citation-panel").evaluate("p => getComputedStyle(p).backgroundColor")
    # The badge's translucent background sits on the panel's: blend, then compare with the text.
    blended = page.evaluate(
        """([bg, over]) => { const c = document.createElement('canvas').getContext('2d');
      c.fillStyle = bg; c.fillRect(0, 0, 1, 1); c.fillStyle = over; c.fillRect(0, 0, 1, 1);
      const [r, g, b] = c.getImageData(0, 0, 1, 1).data; return `rgb(${r}, ${g}, ${b})`; }""",
        [panel_bg, colours[1]],
    )
    assert page.evaluate(CONTRAST, [colours[0], blended]) >= 4.5


def test_hover_preview_on_desktop_shows_the_badge(new_page):
    page = new_page("desktop")
    page.goto("how-common/")
    link = page.locator("article a.footnote-ref:visible").first
    key = link.get_attribute("href").split("#fn:", 1)[1]
    link.hover()
    badge = page.locator("#citation-preview .evidence-badge")  # the one desktop preview (assets/citations.js)
    badge.wait_for()
    assert DESIGNS[DATA.studies[key].design] in badge.inner_text()
