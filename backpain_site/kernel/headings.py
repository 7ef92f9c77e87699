"""A page's headings as the built page will have them: level, words, id and line, found once per build
(the project index, backpain_site/kernel/project.py, keeps them: `build.project.pages[...].headings`).

The id is the one Python-Markdown gives the heading: an explicit attribute (`## Words { #id }`, read
with the attr_list extension's own parser), else the slug the toc extension makes from the heading's
words with the slugify function and separator of the site's toc configuration (mkdocs.yml
`markdown_extensions: toc:`), made unique on the page as toc makes it (its own `unique`). The words for
a slug are rendered by Python-Markdown itself (emphasis, code, escapes, entities), so the slug is the
one toc makes from the rendered heading, not a guess. tests/kernel/test_project.py compares every page's ids
with the built site's.

Found as Python-Markdown finds them: a `#` heading (its own pattern) or an underlined one, at the start
of a line; never inside fenced code, inline code or an HTML comment (backpain_site/kernel/markdown_code.py).
Not found here: headings that other steps write into a page (the care cards, the reference list) and
headings indented into a list item or a note box. Not told apart: a `#` line inside a raw HTML block
(a `<div>` without `markdown`), which Python-Markdown leaves as text; the site has none
(tests/kernel/test_project.py would fail).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique

from backpain_site.kernel.markdown_code import code_spans, inside, plain_text

UNDERLINE = re.compile(r"(?:=+|-+)[ ]*")  # Python-Markdown's setext underline (SetextHeaderProcessor)
CITATION = re.compile(r"\s*\[@[^\]]*\]")  # becomes a footnote mark, which toc leaves out of a slug


@dataclass(frozen=True)
class Heading:
    level: int  # 1 to 6
    text: str  # the words as a reader sees them ("Back pain in runners"), no citations
    id: str  # as on the built page
    explicit: bool  # written in the Markdown ({ #id }), rather than made from the words
    line: int  # 1-based, in the file (front matter counted)
    markdown: str  # the heading's Markdown as written, without its { ... } attributes


class Slugs:
    """How the toc extension makes an id from a heading's words, from the site's toc configuration
    (config.mdx_configs["toc"]; Python-Markdown's defaults without one)."""

    def __init__(self, toc_config: dict[str, Any] | None = None):
        toc_config = toc_config or {}
        self.slugify: Callable[[str, str], str] = toc_config.get("slugify") or toc_slugify
        self.separator: str = toc_config.get("separator", "-")
        self._md: Markdown | None = None
        self._made: list[str] = []

    def slug(self, markdown: str) -> str:
        """The toc slug of a heading's Markdown (not yet made unique on its page)."""
        if self._md is None:

            def recorded(value: str, separator: str) -> str:
                self._made.append(self.slugify(value, separator))
                return self._made[-1]

            # The heading rendered on its own, through toc with this site's slugify: the slug toc made
            # is recorded before toc makes it unique in this one-heading document.
            self._md = Markdown(
                extensions=["attr_list", "toc"],
                extension_configs={"toc": {"slugify": recorded, "separator": self.separator}},
            )
        self._made.clear()
        self._md.reset().convert("# " + CITATION.sub("", markdown))
        return self._made[0] if self._made else ""


DEFAULT = Slugs()


def _attributes(words: str) -> tuple[str, str | None]:
    """(the words without a trailing { ... } attribute list, the id it gives or None), as attr_list
    reads a heading (it ignores a list it cannot read whole)."""
    match = AttrListTreeprocessor.HEADER_RE.search(words)
    if not match:
        return words, None
    attrs, remainder = get_attrs_and_remainder(match.group(1))
    if remainder:
        return words, None
    found = [value for key, value in attrs if key == "id"]
    return words[: match.start()].rstrip("#").rstrip(), found[-1] if found else None


def find(text: str, slugs: Slugs = DEFAULT) -> list[Heading]:
    """Every heading of a page's text (front matter blanked out or not: lines keep their numbers)."""
    code = code_spans(text)
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    found: list[tuple[int, int, str, str | None]] = []  # (line, level, words, explicit id)
    previous_blank = True
    for number, line in enumerate(lines):
        if inside(starts[number], code):
            previous_blank = False
            continue
        atx = HashHeaderProcessor.RE.match(line)
        if atx:
            words, explicit = _attributes(atx.group("header").strip())
            found.append((number + 1, len(atx.group("level")), words, explicit))
        elif (
            previous_blank
            and line.strip()
            and not line.startswith("    ")
            and number + 1 < len(lines)
            and UNDERLINE.fullmatch(lines[number + 1])
            and not inside(starts[number + 1], code)
        ):
            words, explicit = _attributes(line.strip())
            found.append((number + 1, 1 if lines[number + 1].startswith("=") else 2, words, explicit))
        previous_blank = not line.strip() or bool(atx)
    used = {explicit for *_, explicit in found if explicit}
    counters: dict[str, int] = {}
    headings = []
    for number, level, words, explicit in found:
        heading_id = explicit if explicit else unique(slugs.slug(words), used, counters)
        headings.append(Heading(level, plain_text(words), heading_id, bool(explicit), number, words))
    return headings
