"""stacked_tables: the column label and roles each table cell gets so tables can stack on a phone.
It is a Python-Markdown extension, so these render Markdown through it as any generator would.
(The built site and the browser are checked in tests/browser/test_phone.py.)"""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

TABLE = """Before

| Study | β (95% CI) & p |
|:--|--|
| **A** [^a] | 0.5 (0.1 to 0.9) |
| <strong>Raw</strong> | |

After

*[CI]: Range "likely"

[^a]: A note.
"""


def render(
    text: str, extensions=("tables", "abbr", "footnotes", "attr_list", "backpain_site.features.stacked_tables")
) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(text, extensions=list(extensions)), "html.parser")


def test_each_body_cell_gets_its_columns_heading_as_plain_text_and_every_part_its_role():
    soup = render(TABLE)
    table = soup.find("table")
    assert table["role"] == "table" and table["data-stack"] == ""
    assert [g["role"] for g in table.find_all(["thead", "tbody"])] == ["rowgroup", "rowgroup"]
    assert [tr["role"] for tr in table.find_all("tr")] == ["row"] * 3
    assert [th["role"] for th in table.thead.find_all("th")] == ["columnheader", "columnheader"]
    cells = table.tbody.find_all("td")
    # The heading's words, not its markup: the abbr's title and the "&" entity never leak in.
    assert [(td["role"], td["data-label"]) for td in cells] == [("cell", "Study"), ("cell", "β (95% CI) & p")] * 2
    assert cells[0]["style"] == "text-align: left;"
    assert soup.find("p").get_text() == "Before" and "After" in soup.get_text()


def test_an_authors_own_role_stays_and_a_page_without_tables_is_untouched():
    from xml.etree import ElementTree as ET

    from backpain_site.features.stacked_tables import label_tree

    root = ET.fromstring('<div><table role="presentation"><tbody><tr><td>x</td></tr></tbody></table></div>')
    label_tree(root)
    assert root.find("table").get("role") == "presentation" and root.find(".//td").get("role") == "cell"
    assert markdown.markdown("No tables", extensions=["backpain_site.features.stacked_tables"]) == "<p>No tables</p>"


def test_a_row_longer_than_the_header_gets_empty_labels_for_the_extra_cells():
    soup = render("| One |\n|--|\n| a | b |\n")
    # Python-Markdown drops cells beyond the header row, so build the row in the tree directly.
    from xml.etree import ElementTree as ET

    from backpain_site.features.stacked_tables import label_tree

    root = ET.fromstring(
        "<div><table><thead><tr><th>One</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table></div>"
    )
    label_tree(root)
    assert [td.get("data-label") for td in root.iter("td")] == ["One", ""]
    assert soup.find("td")["data-label"] == "One"


def test_without_the_extension_nothing_is_labelled():
    soup = render(TABLE, extensions=("tables", "abbr", "footnotes"))
    assert not soup.find("table").has_attr("data-stack")
