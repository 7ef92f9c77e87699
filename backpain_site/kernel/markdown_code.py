"""Where a page's Markdown holds code: fenced blocks, inline code spans and HTML comments.

The shortcode dispatcher and the citation finder both leave these alone (a `[@key]` or a
`<!-- name -->` written inside code is an example, not a use). Also `plain_text`, a heading's words
as a reader sees them (the share cards and the changes list both name sections by them).
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.M)
BACKTICKS = re.compile(r"`+")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, inline code and HTML comments."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while m := FENCE.search(text, pos):
        fence = m.group(1)
        closing = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.M)
        line_end = text.find("\n", m.end())
        if line_end < 0:
            spans.append((m.start(), len(text)))
            break
        end = closing.search(text, line_end + 1)
        stop = end.end() if end else len(text)
        spans.append((m.start(), stop))
        pos = stop
    spans.extend(_inline_spans(text, spans))
    spans.extend(m.span() for m in COMMENT.finditer(text) if not inside(m.start(), spans))
    return sorted(spans)


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _inline_spans(text: str, fences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Backtick code spans: a run of N backticks up to the next run of exactly N (CommonMark)."""
    spans = []
    runs = [m for m in BACKTICKS.finditer(text) if not inside(m.start(), fences)]
    i = 0
    while i < len(runs):
        opening = runs[i]
        for j in range(i + 1, len(runs)):
            between = text[opening.end() : runs[j].start()]
            if "\n\n" in between:  # a code span never crosses a paragraph break
                break
            if len(runs[j].group(0)) == len(opening.group(0)):
                spans.append((opening.start(), runs[j].end()))
                i = j
                break
        i += 1
    return spans


def plain_text(markdown: str) -> str:
    """Inline Markdown as plain text: no citations, links keep their words, no emphasis or code marks."""
    text = re.sub(r"\s*\[@[^\]]*\]", "", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", text)
    return re.sub(r"\s+", " ", text).strip()
