"""Find `[@key]` citations in Markdown, with their lines, and leave code alone.

mkdocs-bibtex finds citations with one regular expression over the whole page, so `[@key]`
inside inline code or a fenced code block (say, in a page that explains how to cite) turns into a
citation. Here code spans, fenced blocks and HTML comments are found first; citations inside them
are neither checked nor rendered (`protect` hides them from the plugin, `restore` puts them back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backpain_site.kernel.markdown_code import code_spans

from .bibtex_plugin import PLUGIN_BLOCK
from .problems import Problem

# Pandoc's citation key: starts with a letter, digit or "_"; internal punctuation :.#$%&-+?<>~/
# must be followed by a letter, digit or "_". `@{...}` takes anything but braces.
PANDOC_KEY = r"(?:\{(?P<braced>[^{}\n]*)\}|(?P<plain>\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*))"
CITATION = re.compile(r"(?P<minus>-?)@" + PANDOC_KEY)
WHOLE_CITATION = re.compile(r"-?@" + PANDOC_KEY + r"\Z")
# A bracketed group on one line. Not a link text ("[..](" or "[..][") or footnote ("[^").
BRACKETS = re.compile(r"(?<![\\!])\[(?!\^)([^\[\]\n]*)\](?![(\[])")
# A Markdown footnote, "[^label]" (its reference, or its definition "[^label]: text").
FOOTNOTE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
# "[label]: url" at the start of a line defines a link; "[@a; @b]:" inside a sentence cites.
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]\n]*\]:", re.M)
# "@" at the start of the group or after a space, ";" or "-", followed by a key: a citation.
# An e-mail address (a@b.org) or a bare "@" is not one (as in Pandoc).
CITE_AT = re.compile(r"(?:^|(?<=[\s;\[-]))@(?=[\w{])")
LOCATOR = re.compile(r"-?@" + PANDOC_KEY + r"\s*,\s*(?P<locator>.+)\Z", re.S)
BLOCK_TAGS = (
    "address|article|aside|blockquote|center|details|dialog|dd|div|dl|dt|fieldset|figcaption|figure|"
    "footer|form|h[1-6]|header|hgroup|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|"
    "thead|tr|ul|canvas|noscript|video|audio|object"
)
RAW_HTML_START = re.compile(r"^ {0,3}<(" + BLOCK_TAGS + r")\b([^>]*)>", re.M | re.I)
SENTINEL = "\ue000"  # stands in for "@" inside code until the plugin has run


@dataclass(frozen=True)
class Citation:
    key: str
    file: str
    line: int
    start: int = 0  # offsets of the whole "[...]" group in the page text
    end: int = 0


def masked(text: str) -> str:
    """The text with code and comments blanked out (newlines kept, so lines still count)."""
    chars = list(text)
    for start, end in code_spans(text):
        for k in range(start, end):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)


def raw_html_spans(text: str) -> list[tuple[int, int, str, int]]:
    """Raw HTML blocks Python-Markdown leaves as they are: (start, end, tag, line).

    A block-level tag at the start of a line opens one; it ends at its matching closing tag. A
    tag with a `markdown` attribute (md_in_html) has its content read as Markdown: not raw.
    """
    spans = []
    pos = 0
    while m := RAW_HTML_START.search(text, pos):
        tag = m.group(1).lower()
        depth, end = 1, len(text)
        for t in re.finditer(r"<(/?)" + tag + r"\b[^>]*>", text[m.end() :], re.I):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                end = m.end() + t.end()
                break
        else:
            blank = re.search(r"\n[ \t]*\n", text[m.end() :])
            end = m.end() + blank.start() if blank else len(text)
        if not re.search(r"\bmarkdown\b", m.group(2)):
            spans.append((m.start(), end, tag, text.count("\n", 0, m.start()) + 1))
        pos = end
    return spans


def _key(m: re.Match) -> str:
    return m.group("braced") if m.group("braced") is not None else m.group("plain")


def find_citations(text: str, file: str, first_line: int = 1) -> tuple[list[Citation], list[Problem]]:
    """Every cited key outside code, and problems with citation syntax (Pandoc's syntax).

    `first_line` is the file line of text[0] (front matter removed by MkDocs shifts lines).
    """
    cites: list[Citation] = []
    problems: list[Problem] = []
    plain = masked(text)
    raw = raw_html_spans(plain) if "<" in plain else []
    problems += _footnotes(plain, file, first_line)
    for m in BRACKETS.finditer(plain):
        inner = m.group(1)
        if not CITE_AT.search(inner):
            continue
        if plain.startswith(":", m.end()) and LINK_DEFINITION.match(plain, plain.rfind("\n", 0, m.start()) + 1):
            continue
        line = first_line + plain.count("\n", 0, m.start())
        written = m.group(0)
        html = next((span for span in raw if span[0] <= m.start() < span[1]), None)
        if html:
            problems.append(
                Problem(
                    file,
                    line,
                    (
                        f"citation {written} is inside raw HTML (the <{html[2]}> opened on line "
                        f"{first_line + html[3] - 1}), which Markdown leaves alone: readers would see it as written. "
                        f'Add markdown="1" to the <{html[2]}>, or put the citation outside the HTML'
                    ),
                )
            )
            continue
        line_start = plain.rfind("\n", 0, m.start()) + 1
        before = plain[line_start : m.start()]
        if before.count("[") > before.count("]"):
            after = plain[m.end() : plain.find("\n", m.end()) if "\n" in plain[m.end() :] else len(plain)]
            what = "the text of a link" if re.match(r"[^\[\]]*\][(\[]", after) else "other brackets"
            problems.append(
                Problem(
                    file,
                    line,
                    (
                        f"citation {written} is inside {what}; a citation cannot be part of a link or nested "
                        f"in brackets. Put it after them, e.g. [see the trial](url) {written}"
                    ),
                )
            )
            continue
        found: list[str] = []
        for part in inner.split(";"):
            part = part.strip()
            whole = WHOLE_CITATION.match(part)
            if whole:
                found.append(_key(whole))
                continue
            locator = LOCATOR.match(part)
            if locator:
                problems.append(
                    Problem(
                        file,
                        line,
                        (
                            f'citation {written}: locators such as "{locator.group("locator").strip()}" are not shown '
                            f"(each work has one numbered reference per page, so a page number would be lost); "
                            f'write it in the sentence, e.g. "(page 5) [@{_key(locator)}]"'
                        ),
                    )
                )
                break
            problems.append(
                Problem(
                    file,
                    line,
                    (
                        f'citation {written} contains "{part}", which would be dropped from the page: '
                        f"only @keys go inside the brackets (write other words outside them)"
                    ),
                )
            )
            break
        else:  # no part refused: the citation's keys
            cites.extend(Citation(key, file, line, m.start(), m.end()) for key in found)
    return cites, problems


def _footnotes(plain: str, file: str, first_line: int) -> list[Problem]:
    """Plain footnotes are refused: the footnotes extension numbers citations, so "[^note]" would take
    a citation's number, shift the others and be read out as "Reference 1". One message per label."""
    problems, seen = [], set()
    for m in FOOTNOTE.finditer(plain):
        if m.group(1) in seen:
            continue
        seen.add(m.group(1))
        problems.append(
            Problem(
                file,
                first_line + plain.count("\n", 0, m.start()),
                (
                    f"footnote {m.group(0)}: this site's numbered notes are its references, so a footnote would "
                    f'take a citation\'s number and be read out as "Reference 1". Write the note in the text '
                    f"(or in a note box, !!! note), and cite its source with [@key]"
                ),
            )
        )
    return problems


def canonical(text: str, cites: list[Citation], alias: dict[str, str]) -> str:
    """Each citation group rewritten as mkdocs-bibtex reads it, `[@alias1; @alias2]`, and every
    other bracketed "@" hidden from the plugin (see `restore`): the plugin renders exactly the
    citations found here, so the check command and the build agree."""
    groups: dict[tuple[int, int], list[str]] = {}
    for cite in cites:
        groups.setdefault((cite.start, cite.end), []).append(alias.get(cite.key, cite.key))
    out, last = [], 0
    for (start, end), keys in sorted(groups.items()):
        out.append(_hide_brackets(text[last:start]))
        out.append("[" + "; ".join("@" + k for k in keys) + "]")
        last = end
    out.append(_hide_brackets(text[last:]))
    return "".join(out)


def _hide_brackets(text: str) -> str:
    """Anything mkdocs-bibtex would read as a citation group (PLUGIN_BLOCK) that is not a citation
    found here has its "@" hidden from it."""
    if "@" not in text:
        return text
    return PLUGIN_BLOCK.sub(lambda m: m.group(0).replace("@", SENTINEL), text)


def rewrite_keys(text: str, renames: dict[str, str]) -> str:
    """Replace cited keys (outside code) by the key they stand for, e.g. a case-only mismatch."""
    if not renames:
        return text
    cites, _ = find_citations(text, "")
    return canonical(text, cites, renames).replace(SENTINEL, "@")


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
