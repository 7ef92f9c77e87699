"""Phones first (issue 13 item 7): deferred scripts still run, the CSS-drawn copy-link icon shows."""

from __future__ import annotations

PAGE = "run-walk-trial/"


def test_deferred_scripts_run_and_the_copy_link_icon_is_drawn(phone):
    phone.goto(PAGE)
    phone.wait_for_load_state("load")
    assert phone.evaluate(
        "() => !!(window.citationPanel && window.glossaryTip && window.sectionLinks && window.reportProblem)"
    )
    button = phone.locator("button.section-link").first
    assert button.is_visible()  # share.js showed it
    icon = button.evaluate("""b => { const s = getComputedStyle(b, '::before');
        return {mask: s.maskImage || s.webkitMaskImage, width: s.width, colour: s.backgroundColor,
                text: getComputedStyle(b).color}; }""")
    assert icon["mask"].startswith('url("data:image/svg+xml'), icon
    assert icon["width"] == "16px" and icon["colour"] == icon["text"], icon
    assert phone.console.errors == []
