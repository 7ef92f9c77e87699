"""One dispatcher for every marker a page writes as an HTML comment (the pattern Material's own docs use).

    <!-- glossary -->                  <!-- care-card: urgent -->       <!-- chart prevalence -->
    <!-- share:sections how-common.md -->    It opens an email to <!-- report-problem: email -->.

A comment is a shortcode when it is one name, optionally followed by one argument (after ":" or a
space). Features register the names they answer (`shortcodes = {"name": handler}`); the dispatcher
replaces each call with what its handler returns, in one pass over the page, before mkdocs-bibtex
reads it (so what a handler writes may cite). Any other one-word comment (`<!-- tabel -->`), or a known
name written wrongly (`<!-- care-card: urgent now -->`), stops the build with file and line. A longer
comment (`<!-- Ask Sam about this paragraph -->`) is a note to editors and is left alone, as is
anything inside code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from backpain_site.kernel.markdown_code import code_spans
from backpain_site.kernel.problems import Problem

COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.S)
NAME = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?::[a-z][a-z0-9]*(?:-[a-z0-9]+)*)?"
SHORTCODE = re.compile(rf"\s*(?P<name>{NAME})(?:(?:\s*:\s*|\s+)(?P<arg>[^\s:][^\s]*))?\s*", re.S)
FIRST_WORD = re.compile(rf"\s*(?P<name>{NAME})(?=[\s:]|$)")


@dataclass(frozen=True)
class Call:
    name: str
    arg: str  # "" when the shortcode takes none
    line: int  # 1-based, in the page's Markdown (front matter not counted)
    alone: bool  # the comment stands on a line of its own
    text: str  # the comment as written
    markdown: str  # the whole page, as the dispatcher found it
    page: str = ""  # the page's path under docs/ ("mechanisms/discs.md")


class ShortcodeProblem(ValueError):
    """Raised by a handler for a call it cannot answer (a wrong argument); the dispatcher adds where."""


Handler = Callable[[Call], str]


def calls(
    markdown: str, known: Collection[str], page: str = "", file: str = "", lines_before: int = 0
) -> tuple[list[tuple[int, int, Call]], list[Problem]]:
    """Every shortcode in the page, with its offsets, and a Problem for each unknown or malformed one
    (in `file`, at the line of the file: `lines_before` is what MkDocs stripped from its top)."""
    found: list[tuple[int, int, Call]] = []
    problems: list[Problem] = []
    code = [(s, e) for s, e in code_spans(markdown) if not markdown.startswith("<!--", s)]
    for match in COMMENT.finditer(markdown):
        if any(s <= match.start() < e for s, e in code):
            continue
        body = match["body"]
        line = markdown.count("\n", 0, match.start()) + 1
        whole = SHORTCODE.fullmatch(body)
        first = FIRST_WORD.match(body)
        if whole is None:
            if first and first["name"] in known:
                problems.append(
                    Problem(
                        file,
                        line + lines_before,
                        f"<!--{body}--> is not a shortcode: write <!-- {first['name']} --> "
                        f"or <!-- {first['name']}: one-argument -->",
                    )
                )
            continue  # a note to editors
        name = whole["name"]
        if name not in known:
            problems.append(
                Problem(
                    file,
                    line + lines_before,
                    f"unknown shortcode <!--{body}-->; the shortcodes are " + ", ".join(sorted(known)),
                )
            )
            continue
        start_of_line = markdown.rfind("\n", 0, match.start()) + 1
        end_of_line = markdown.find("\n", match.end())
        end_of_line = len(markdown) if end_of_line < 0 else end_of_line
        alone = not markdown[start_of_line : match.start()].strip() and not markdown[match.end() : end_of_line].strip()
        found.append(
            (match.start(), match.end(), Call(name, whole["arg"] or "", line, alone, match.group(0), markdown, page))
        )
    return found, problems


def expand(
    markdown: str, handlers: dict[str, Handler], page: str = "", file: str = "", lines_before: int = 0
) -> tuple[str, list[Problem], set[str]]:
    """The page with every shortcode replaced by its handler's text, a Problem for each failure (in
    `file`, at the file's line: `lines_before` is what MkDocs stripped from its top), and the names of
    the shortcodes the page used."""
    found, problems = calls(markdown, handlers, page, file, lines_before)
    out, pos = [], 0
    for start, end, call in found:
        try:
            text = handlers[call.name](call)
        except ShortcodeProblem as problem:
            problems.append(Problem(file, call.line + lines_before, str(problem)))
            text = ""
        out += [markdown[pos:start], text]
        pos = end
    out.append(markdown[pos:])
    return "".join(out), sorted(problems, key=Problem.sort_key), {call.name for _, _, call in found}
