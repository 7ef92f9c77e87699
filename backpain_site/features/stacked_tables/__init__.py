"""Tables that can stack into cards on a phone and still read as tables.

On a narrow screen docs/assets/site.css ("Phones") shows each row of a table as a card, one cell
under another, each cell with its column heading before it. For that the built HTML needs, on every
table Python-Markdown wrote:
  * `data-label` on each body cell: the plain text of its column's heading (CSS shows it with
    `content: attr(data-label)`, marked as decoration so screen readers don't hear it twice);
  * explicit ARIA roles (table, rowgroup, row, columnheader, rowheader, cell): a table whose parts
    are `display: block` can lose its table semantics in some browsers (Safari; older Chromium),
    and the roles keep them;
  * `data-stack` on the table, which the stylesheet's phone rules select.

A Python-Markdown extension (a tree processor; no MkDocs): mkdocs.yml lists it in
`markdown_extensions` as `stacked_tables`, so any generator that renders with Python-Markdown (MkDocs,
ProperDocs, Zensical) runs it. It runs after attr_list (an author's own `role` wins) on every table in
the page's tree.
"""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from backpain_site.kernel.html_tree import element_text

__all__ = ["StackedTablesExtension", "label_tree", "makeExtension"]

PRIORITY = 6  # after attr_list (8) and abbr (7), before toc (5)


def label_tree(root, md=None) -> None:
    """Label every table under `root` (an xml.etree element) in place (see the module's doc)."""
    for table in root.iter("table"):
        head = table.find("thead")
        labels = [element_text(th, md) for th in head.iter("th")] if head is not None else []
        for group in table:
            if group.tag not in ("thead", "tbody", "tfoot"):
                continue
            group.attrib.setdefault("role", "rowgroup")
            for row in group.iter("tr"):
                row.attrib.setdefault("role", "row")
                for column, cell in enumerate(c for c in row if c.tag in ("td", "th")):
                    if group.tag == "thead":
                        cell.attrib.setdefault("role", "columnheader")
                    else:
                        cell.attrib.setdefault("role", "rowheader" if cell.tag == "th" else "cell")
                        cell.attrib.setdefault("data-label", labels[column] if column < len(labels) else "")
        table.attrib.setdefault("role", "table")
        table.attrib.setdefault("data-stack", "")


class StackedTables(Treeprocessor):
    def run(self, root):
        label_tree(root, self.md)


class StackedTablesExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(StackedTables(md), "stacked_tables", PRIORITY)


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's name
    return StackedTablesExtension(**kwargs)
