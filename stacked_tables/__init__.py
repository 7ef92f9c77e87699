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

Pure text in, text out (no MkDocs): stacked_tables/build.py applies it to each page.
"""
from __future__ import annotations

import html
import re

__all__ = ["label_tables"]

TABLE = re.compile(r"<table(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</table>", re.S)
HEAD = re.compile(r"<thead(?:\s[^>]*)?>(?P<body>.*?)</thead>", re.S)
HEADING = re.compile(r"<th(?:\s[^>]*)?>(?P<body>.*?)</th>", re.S)
ROW_GROUP = re.compile(r"<(?P<tag>thead|tbody|tfoot)(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</(?P=tag)>", re.S)
ROW = re.compile(r"<tr(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</tr>", re.S)
CELL = re.compile(r"<(?P<tag>td|th)(?P<attrs>(?:\s[^>]*)?)>")
TAG = re.compile(r"<[^>]+>")


def plain(cell_html: str) -> str:
    """A heading cell's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(TAG.sub("", cell_html)).split())


def with_attrs(attrs: str, **new: str) -> str:
    """`attrs` plus each new attribute it does not have already (an author's own role wins)."""
    for name, value in new.items():
        attr = name.replace("_", "-")
        if not re.search(rf"\s{attr}\s*=", attrs):
            attrs += f' {attr}="{html.escape(value, quote=True)}"'
    return attrs


def _row(match: re.Match, group: str, labels: list[str]) -> str:
    column = 0

    def cell(cell_match: re.Match) -> str:
        nonlocal column
        tag, attrs = cell_match["tag"], cell_match["attrs"]
        if group == "thead":
            role = "columnheader"
            attrs = with_attrs(attrs, role=role)
        else:
            role = "rowheader" if tag == "th" else "cell"
            label = labels[column] if column < len(labels) else ""
            attrs = with_attrs(attrs, role=role, data_label=label)
        column += 1
        return f"<{tag}{attrs}>"

    body = CELL.sub(cell, match["body"])
    return f'<tr{with_attrs(match["attrs"], role="row")}>{body}</tr>'


def _table(match: re.Match) -> str:
    head = HEAD.search(match["body"])
    labels = [plain(h["body"]) for h in HEADING.finditer(head["body"])] if head else []

    def group(group_match: re.Match) -> str:
        tag = group_match["tag"]
        rows = ROW.sub(lambda row: _row(row, tag, labels), group_match["body"])
        return f'<{tag}{with_attrs(group_match["attrs"], role="rowgroup")}>{rows}</{tag}>'

    body = ROW_GROUP.sub(group, match["body"])
    return f'<table{with_attrs(match["attrs"], role="table", data_stack="")}>{body}</table>'


def label_tables(page_html: str) -> str:
    """The page with every table's cells labelled and roles made explicit (see the module's doc)."""
    if "<table" not in page_html:
        return page_html
    return TABLE.sub(_table, page_html)
