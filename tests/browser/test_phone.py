"""Every page of the built site on a 390 x 844 touch phone: nothing scrolls sideways, tables stack
into labelled cards that stay tables for screen readers, and table text stays readable.

The pages come from the Markdown sources and the share kit's handout paths; one test checks that
they are every page the build wrote, so a new generated page cannot escape the check. The sideways
and font checks (MEASURE) run in the phone sweep of tests/browser/test_pages.py, which loads every
page once for all its checks."""

from __future__ import annotations

import pytest
from helpers import EVERY_PAGE, TABLES_READY


def test_the_pages_checked_here_are_every_page_the_build_wrote(site):
    built = {p.relative_to(site.root).as_posix() for p in site.html_files()}
    built = {"" if p == "index.html" else p.removesuffix("index.html") for p in built}
    assert built == set(EVERY_PAGE)


# Stacked tables stay tables ---------------------------------------------------------------------------


def heading_texts(table) -> list[str]:
    return [" ".join(th.get_text().split()) for th in table.select("thead th")]


@pytest.mark.parametrize("url", EVERY_PAGE, ids=lambda url: url or "home")
def test_every_table_cell_carries_its_column_heading_and_table_roles(site, url):
    """The built HTML: each body cell's data-label is its column's heading; every part has its role."""
    soup = site.page(url)
    for table in soup.select("table"):
        assert table.get("role") == "table" and table.has_attr("data-stack"), str(table)[:80]
        headings = heading_texts(table)
        assert headings, "every table on the site has a header row"
        assert [g.get("role") for g in table.select(":scope > thead, :scope > tbody")] == ["rowgroup"] * 2
        assert {tr.get("role") for tr in table.select("tr")} == {"row"}
        assert {th.get("role") for th in table.select("thead th")} == {"columnheader"}
        for tr in table.select("tbody tr"):
            cells = tr.select(":scope > td, :scope > th")
            assert [c.get("data-label") for c in cells] == headings[: len(cells)], str(tr)[:120]
            assert [c.get("role") for c in cells] == ["rowheader" if c.name == "th" else "cell" for c in cells]


# The accessibility tree of each stacked table, as Chromium gives it to screen readers.
AX_PAGES = ["run-walk-trial/", "mechanisms/discs/"]  # the trial card, a studies table, a table with an empty heading
CELLS = "article table :is(th, td)"


def ax_node(cdp, node_id: int) -> dict:
    node = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})["nodes"][0]
    return {"role": node.get("role", {}).get("value"), "name": node.get("name", {}).get("value", "")}


@pytest.mark.parametrize("url", AX_PAGES)
def test_a_stacked_table_is_still_a_table_for_screen_readers(phone, url):
    phone.goto(url)
    phone.wait_for_function(TABLES_READY)
    phone.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert (
        phone.evaluate("[...document.querySelectorAll('article table')].map(t => getComputedStyle(t).display)")
        == ["block"] * phone.locator("article table").count()
    ), "the tables are stacked"
    cells = phone.evaluate(f"""() => [...document.querySelectorAll('{CELLS}')].map(c => ({{
        tag: c.tagName.toLowerCase(), head: !!c.closest('thead'), label: c.dataset.label || '',
        text: c.textContent.trim().replace(/\\s+/g, ' ')}}))""")
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("DOM.enable")
    cdp.send("Accessibility.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]

    def nodes(selector: str) -> list[dict]:
        ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
        return [ax_node(cdp, node_id) for node_id in ids]

    assert {n["role"] for n in nodes("article table")} == {"table"}
    assert {n["role"] for n in nodes("article table > * > tr")} == {"row"}
    announced = nodes(CELLS)
    assert len(announced) == len(cells) > 20
    for cell, ax in zip(cells, announced):
        if cell["head"]:
            assert ax["role"] == "columnheader", cell
            continue
        assert ax["role"] == ("rowheader" if cell["tag"] == "th" else "cell"), cell
        # The visible column label is decoration: the cell's spoken name is its own content.
        if cell["label"] and not cell["text"].startswith(cell["label"]):
            assert not ax["name"].startswith(cell["label"]), f"{cell['label']!r} is read out in {ax['name'][:80]!r}"


# axe-core does not check text drawn by CSS (::before), so the labels' contrast is measured here:
# the label's colour over the cell's backgrounds, layered as the browser paints them.
LABEL_CONTRAST = """() => {
  const pixel = colours => { const c = document.createElement('canvas').getContext('2d');
    for (const colour of colours) { c.fillStyle = colour; c.fillRect(0, 0, 1, 1); }
    return Array.from(c.getImageData(0, 0, 1, 1).data).slice(0, 3); };
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const backgrounds = el => { const layers = [];
    for (let a = el; a; a = a.parentElement) layers.unshift(getComputedStyle(a).backgroundColor);
    return ['#fff', ...layers]; };
  return [...document.querySelectorAll('article table [data-label]:not([data-label=""])')].map(cell => {
    const under = backgrounds(cell), label = getComputedStyle(cell, '::before');
    const a = lum(pixel([...under, label.color])), b = lum(pixel(under));
    return [cell.dataset.label, label.content, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_column_labels_are_shown_with_enough_contrast(new_page, scheme):
    page = new_page("phone", color_scheme=scheme)
    page.goto("run-walk-trial/")
    page.wait_for_function(TABLES_READY)
    labels = page.evaluate(LABEL_CONTRAST)
    assert len(labels) > 20
    assert [label for label, content, _ in labels if label not in content] == [], "every label is shown"
    low = sorted({(label, round(ratio, 2)) for label, _, ratio in labels if ratio < 4.5})
    assert low == [], f"labels under 4.5:1 in the {scheme} scheme"
