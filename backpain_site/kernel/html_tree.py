"""A small, forgiving element tree from HTML, shared by the checks that read built pages as text.

backpain_site/features/plain_language/__init__.py (the reading gate) and backpain_site/features/claims/prose.py (numbers need citations) both walk a
page's article block by block; they used to carry a copy of this parser each. Standard library only
(html.parser), enough for Material's and Python-Markdown's output: void elements never open a
level, and an end tag closes everything opened since its start tag (unclosed <p>, <li>).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: this module needs no Markdown
    from xml.etree.ElementTree import Element

    from markdown import Markdown

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False, compare=False)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def _add(self, tag: str, attrs: list[tuple[str, str | None]]) -> Node:
        node = Node(tag, {k: (v or "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        return node

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = self._add(tag, attrs)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The document as a tree under a "#root" node."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


@functools.lru_cache(maxsize=4)
def parsed(html: str) -> Node:
    """parse(html), shared: the figures check and the reading level read the same page text, and a
    page is parsed once for both. The tree is shared, so callers only read it (none changes a Node)."""
    return parse(html)


# A page's reference list: the footnotes block Python-Markdown writes at the end of the content.
REFERENCE_LIST = re.compile(r'<div class="footnote"[ >]')
_DIV = re.compile(r"<(/?)div\b")


def reference_list_span(html: str) -> tuple[int, int] | None:
    """(start, end) of the page's reference list (the footnote div, however deep its nesting; to the
    end of the text when it is not closed), or None."""
    start = REFERENCE_LIST.search(html)
    if start is None:
        return None
    depth = 0
    for tag in _DIV.finditer(html, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start.start(), tag.end() + 1  # after the ">" of </div>
    return start.start(), len(html)


def without_reference_list(html: str) -> str:
    """The page's HTML without its reference list. The checks that read pages as prose skip it, so
    their results (and cache keys) stay the same when only references.bib changed."""
    span = reference_list_span(html)
    return html if span is None else html[: span[0]] + html[span[1] :]


def text_of(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node.children)


# --- Python-Markdown's element tree (xml.etree), as tree processors see it -------------------------

PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
TAG = re.compile(r"<[^>]+>")


def element_text(
    element: Element, md: Markdown | None = None, skip: Callable[[Element], bool] = lambda el: False
) -> str:
    """An element's words as a reader sees them, whitespace collapsed: Python-Markdown's placeholders
    for stashed raw HTML replaced by that HTML's text (when `md` is given), elements `skip` says
    to leave out left out (their tails kept)."""
    parts: list[str] = []

    def walk(el: Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if not skip(child):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    text = "".join(parts)
    if md is not None:
        blocks = md.htmlStash.rawHtmlBlocks
        text = PLACEHOLDER.sub(
            lambda m: html.unescape(TAG.sub("", str(blocks[int(m[1])]))) if int(m[1]) < len(blocks) else "", text
        )
    return " ".join(text.split())
