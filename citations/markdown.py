"""Find `[@key]` citations in Markdown, with their lines, and leave code alone.

mkdocs-bibtex finds citations with one regular expression over the whole page, so `[@key]`
inside inline code or a fenced code block (say, in a page that explains how to cite) turns into a
citation. Here code spans, fenced blocks and HTML comments are found first; citations inside them
are neither checked nor rendered (`protect` hides them from the plugin, `restore` puts them back).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .problems import Problem

CITABLE_KEY = re.compile(r"[A-Za-z0-9_-]+")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.M)
BACKTICKS = re.compile(r"`+")
COMMENT = re.compile(r"<!--.*?-->", re.S)
# A bracketed group on one line. Not a link text ("[..](" or "[..][") or footnote ("[^").
BRACKETS = re.compile(r"(?<![\\!])\[(?!\^)([^\[\]\n]*)\](?![(\[:])")
# "@" at the start of the group or after a space or ";": a citation, not an e-mail address.
CITE_AT = re.compile(r"(?:^|(?<=[\s;]))@")
SENTINEL = "\ue000"  # stands in for "@" inside code until the plugin has run


@dataclass(frozen=True)
class Citation:
    key: str
    file: str
    line: int


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, inline code and HTML comments."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := FENCE.search(text, pos)):
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
    spans.extend(m.span() for m in COMMENT.finditer(text) if not _inside(m.start(), spans))
    return sorted(spans)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _inline_spans(text: str, fences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Backtick code spans: a run of N backticks up to the next run of exactly N (CommonMark)."""
    spans = []
    runs = [m for m in BACKTICKS.finditer(text) if not _inside(m.start(), fences)]
    i = 0
    while i < len(runs):
        opening = runs[i]
        for j in range(i + 1, len(runs)):
            between = text[opening.end():runs[j].start()]
            if "\n\n" in between:  # a code span never crosses a paragraph break
                break
            if len(runs[j].group(0)) == len(opening.group(0)):
                spans.append((opening.start(), runs[j].end()))
                i = j
                break
        i += 1
    return spans


def masked(text: str) -> str:
    """The text with code and comments blanked out (newlines kept, so lines still count)."""
    chars = list(text)
    for start, end in code_spans(text):
        for k in range(start, end):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)


def find_citations(text: str, file: str, first_line: int = 1) -> tuple[list[Citation], list[Problem]]:
    """Every cited key outside code, and problems with citation syntax.

    `first_line` is the file line of text[0] (front matter removed by MkDocs shifts lines).
    """
    cites: list[Citation] = []
    problems: list[Problem] = []
    plain = masked(text)
    for m in BRACKETS.finditer(plain):
        inner = m.group(1)
        if not CITE_AT.search(inner):
            continue
        line = first_line + plain.count("\n", 0, m.start())
        written = m.group(0)
        for part in inner.split(";"):
            part = part.strip()
            if not part.startswith("@"):
                problems.append(Problem(file, line, (
                    f'citation {written} contains "{part}", which would be dropped from the page: '
                    f"only @keys go inside the brackets (write other words outside them)")))
                continue
            key = part[1:]
            if not CITABLE_KEY.fullmatch(key):
                problems.append(Problem(file, line, (
                    f'citation {written}: "{key}" cannot be cited: a key may contain only letters '
                    f"A-Z, digits, '-' and '_' (rename it in the .bib file)")))
                continue
            cites.append(Citation(key, file, line))
    return cites, problems


def rewrite_keys(text: str, renames: dict[str, str]) -> str:
    """Replace cited keys (outside code) by the key they stand for, e.g. a case-only mismatch."""
    if not renames:
        return text
    plain = masked(text)
    out, last = [], 0
    for m in BRACKETS.finditer(plain):
        inner = m.group(1)
        if not CITE_AT.search(inner):
            continue
        fixed = re.sub(r"@([A-Za-z0-9_-]+)", lambda k: "@" + renames.get(k.group(1), k.group(1)), inner)
        out.append(text[last:m.start(1)])
        out.append(fixed)
        last = m.end(1)
    out.append(text[last:])
    return "".join(out)


def protect(text: str) -> str:
    """Hide "@" inside code and comments from mkdocs-bibtex (see `restore`)."""
    spans = code_spans(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(text[start:end].replace("@", SENTINEL))
        last = end
    out.append(text[last:])
    return "".join(out)


def restore(html: str) -> str:
    return html.replace(SENTINEL, "@")
