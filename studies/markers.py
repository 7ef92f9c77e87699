"""Markers in a page's Markdown for content built from the study data.

    <!-- studies-table -->        the studies this page cites, as a table (and their key numbers)
    <!-- trial-card asteroid -->  a trial's card
    <!-- chart prevalence -->     a chart
    <!-- certainty asteroid-pain --> how sure the site team is about a main finding (data/studies.yml `findings:`)

Each stands alone on its line. A page reads cleanly without the hooks (they are HTML comments);
a marker with a wrong name or id stops the build with the file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = re.compile(r"^[ \t]*<!--[ \t]*(?P<name>studies-table|trial-card|chart|certainty)\b(?P<arg>[^>]*?)[ \t]*-->[ \t]*$", re.M)


@dataclass
class Marker:
    name: str
    arg: str  # "" for studies-table
    start: int
    end: int
    line: int  # 1-based, in the text given


def find_markers(markdown: str, names: tuple[str, ...]) -> list[Marker]:
    return [Marker(m["name"], m["arg"].strip(), m.start(), m.end(), markdown.count("\n", 0, m.start()) + 1)
            for m in MARKER.finditer(markdown) if m["name"] in names]


def replace_markers(markdown: str, markers: list[Marker], render) -> str:
    """`render(marker)` -> text for each marker, from the last to the first (offsets stay valid)."""
    for marker in sorted(markers, key=lambda m: m.start, reverse=True):
        markdown = markdown[:marker.start] + render(marker) + markdown[marker.end:]
    return markdown


# MkDocs' own front-matter pattern (mkdocs.utils.meta); it also strips the blank lines after it.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def front_matter_lines(source: str) -> int:
    """How many lines MkDocs removes from the top of a page before hooks see its Markdown."""
    match = FRONT_MATTER.match(source)
    if not match:
        return 0
    rest = source[match.end():]
    return source[:match.end()].count("\n") + len(rest) - len(rest.lstrip("\n"))
