"""The patient prose of a built page, sentence by sentence, with the citations each one carries.

What counts as prose: every paragraph and list item in the page's <article>, including admonitions
("Key points", "What this means for you"), the "For clinicians" blocks and the care cards.
Left out:
- headings, tables (the clinicians' tables cite in their cells; the studies table and trial card
  are drawn from data/studies.yml), code, SVG charts and the text of buttons;
- generated blocks, by class: the reference list, evidence badges, charts and their data tables,
  the review stamp and authors line, "Cite this page", the reading-level line, the print-only
  address, the Share page's cards and copy-link buttons (GENERATED below).

A citation is a footnote mark (`<sup><a class="footnote-ref" href="#fn:KEY">`). Authors put it
before the full stop, so it belongs to the sentence it ends. A list item with no citation of its
own takes the citations of the sentence that introduces the list, when that sentence ends with a
colon ("The abstract reports [@key]:"), because the citation then covers the whole list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backpain_site.kernel.html_tree import Node, parse

SKIP_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "pre",
    "code",
    "kbd",
    "samp",
    "svg",
    "math",
    "script",
    "style",
    "summary",
    "nav",
    "header",
    "footer",
    "button",
    "template",
    "noscript",
    "select",
    "textarea",
}
# Generated blocks that hold no claims of their own (or cite in their own way).
GENERATED = {
    "footnote",
    "evidence-badge",
    "evidence-chart",
    "chart-data",
    "studies-table",
    "trial-card",
    "page-stamp",
    "page-authors",
    "cite-page",
    "reading-grade",
    "print-url",
    "md-source-file",
    "headerlink",
    "section-link",
    "share-cards",
    "share-card",
    "share-handout-link",
    "admonition-title",
    "citation-separator",
    "report-promise",
    "change-meta",
    "share-handout__link",
    "share-handout__review",  # a handout's address and QR code; its review dates
}
BLOCKS = {"p", "li"}
NOT_SENTENCE_ENDS = {"e.g", "i.e", "vs", "et al", "etc", "approx", "dr", "mr", "mrs", "ms", "no", "fig", "st", "cf"}
_KEY_MARK = "\x00"
_FIGURE_MARK, _FIGURE_SPLIT = "\x01", "\x02"  # around a printed figure: \x01ref\x02text\x01
_FIGURES = re.compile(f"{_FIGURE_MARK}(.*?){_FIGURE_SPLIT}(.*?){_FIGURE_MARK}", re.S)
FIGURE = "study-figure"  # a figure a shortcode printed from data/studies.yml (studies/render.py figure_span)
_END = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[^a-z\s])""")
_FN = re.compile(r"#fn:(.+)\Z")


def _walk(node: Node):
    for child in node.children:
        if isinstance(child, Node):
            yield child
            yield from _walk(child)


def article(root: Node) -> Node:
    """The page's <article> (a built page), or the whole fragment."""
    return next((n for n in _walk(root) if n.tag == "article"), root)


def citation_key(node: Node) -> str | None:
    """The key a footnote mark cites (<a class="footnote-ref" href="#fn:key">), or None."""
    if node.tag == "a" and "footnote-ref" in node.classes:
        match = _FN.search(node.attrs.get("href", ""))
        return match.group(1) if match else None
    return None


def _skipped(node: Node) -> bool:
    return node.tag in SKIP_TAGS or bool(node.classes & GENERATED) or node.attrs.get("data-claims") == "skip"


def _inline_text(node: Node) -> str:
    """Text of a block with citation marks as \\0key\\0; nested blocks and skipped parts left out."""
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
            continue
        if child.tag in BLOCKS or child.tag in {"ul", "ol", "div", "details", "blockquote"}:
            continue  # a nested block is its own block
        key = citation_key(child)
        if key:
            out.append(f"{_KEY_MARK}{key}{_KEY_MARK}")
        elif child.tag == "span" and FIGURE in child.classes:  # printed from its record by a shortcode
            out.append(
                f"{_FIGURE_MARK}{child.attrs.get('data-figure', '')}{_FIGURE_SPLIT}{_inline_text(child)}{_FIGURE_MARK}"
            )
        elif child.tag == "sup":
            out.append(_inline_text(child))  # a footnote mark's <sup> wraps the <a>
        elif not _skipped(child):
            out.append(_inline_text(child))
    return "".join(out)


@dataclass
class Sentence:
    text: str  # the sentence as a reader sees it, citation marks removed
    keys: tuple[str, ...]  # the keys it cites (its own, or those of the sentence introducing its list)
    block: str  # "p" or "li"
    own_keys: tuple[str, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()  # (ref, text) of each figure printed from its record


def split_sentences(marked: str) -> list[tuple[str, tuple[str, ...]]]:
    """Split marked text into (sentence text, keys); decimals, "e.g." and the like never split."""
    return [(text, keys) for text, keys, _ in _split(marked)]


def _split(marked: str) -> list[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]]:
    """(sentence text, keys, printed figures) for each sentence of marked text."""
    text = " ".join(marked.split())
    pieces, start = [], 0
    for match in _END.finditer(text):
        before = text[start : match.start()].rstrip(_KEY_MARK)
        word = re.split(r"[\s(]", before)[-1].lower() if before else ""
        if word in NOT_SENTENCE_ENDS or re.fullmatch(r"[a-z]", word):
            continue
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    out = []
    for piece in pieces:
        keys = tuple(re.findall(f"{_KEY_MARK}(.+?){_KEY_MARK}", piece))
        figures = tuple((ref, " ".join(text.split())) for ref, text in _FIGURES.findall(piece))
        plain = re.sub(f"{_KEY_MARK}.+?{_KEY_MARK}", "", _FIGURES.sub(r"\2", piece))
        plain = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(plain.split())).strip()
        if plain.strip(".,;:!? "):
            out.append((plain, keys, figures))
        elif keys and out:  # "A definition. [@key]": a citation after the last full stop ends that sentence
            out[-1] = (out[-1][0], out[-1][1] + keys, out[-1][2])
    return out


def sentences(html: str) -> list[Sentence]:
    """Every sentence of the page's patient prose, in page order."""
    return sentences_in(article(parse(html)))


def sentences_in(root: Node) -> list[Sentence]:
    """Every sentence of patient prose under `root` (a parsed page's article), in page order."""
    result: list[Sentence] = []
    lead_in: dict[int, tuple[str, ...]] = {}  # id(list element) -> keys of the sentence before it

    def visit(node: Node):
        for child in node.children:
            if not isinstance(child, Node) or _skipped(child):
                continue
            if child.tag in BLOCKS:
                split = _split(_inline_text(child))
                inherited: tuple[str, ...] = ()
                if child.tag == "li" and child.parent is not None:
                    inherited = lead_in.get(id(child.parent), ())
                for text, keys, figures in split:
                    result.append(Sentence(text, keys or inherited, child.tag, keys, figures))
                if child.tag == "p" and split and split[-1][0].endswith(":") and split[-1][1]:
                    following = _next_element(child)
                    if following is not None and following.tag in {"ul", "ol"}:
                        lead_in[id(following)] = split[-1][1]
            visit(child)

    visit(root)
    return result


def _next_element(node: Node) -> Node | None:
    siblings = node.parent.children if node.parent else []
    seen = False
    for sibling in siblings:
        if sibling is node:
            seen = True
        elif seen and isinstance(sibling, Node):
            return sibling
        elif seen and isinstance(sibling, str) and sibling.strip():
            return None
    return None


def cited_keys(html: str) -> set[str]:
    """Every key cited anywhere in the page's article."""
    return {key for node in _walk(article(parse(html))) if (key := citation_key(node))}


def normalise(text: str) -> str:
    """Text for matching a ledger claim: one space, straight quotes, hyphen-minus, no NBSP."""
    table = str.maketrans(
        {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "−": "-", "\u00a0": " ", "\u202f": " "}
    )
    return " ".join(text.translate(table).split())
