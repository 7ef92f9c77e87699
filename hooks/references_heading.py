"""Give each page's reference list a visible heading: "References", id #references.

mkdocs-bibtex turns citations into footnotes; Python-Markdown renders footnotes as an untitled
list after the page body. This hook runs after the plugin (hooks default to after plugins) and
puts a heading in front of the first footnote definition, so the heading is the page's last
section and the list follows it. Pages without citations are left alone.
"""
from __future__ import annotations

import re

HEADING = "## References { #references }"
FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:", re.M)


def add_references_heading(markdown: str) -> str:
    match = FOOTNOTE_DEFINITION.search(markdown)
    if match is None:
        return markdown
    start = match.start()
    return markdown[:start].rstrip("\n") + "\n\n" + HEADING + "\n\n" + markdown[start:]


def on_page_markdown(markdown, page, config, files):
    return add_references_heading(markdown)
