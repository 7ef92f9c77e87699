"""Every figure a reader sees, tied to its record (issue 18).

A figure on a built page (a number in a sentence of prose, a Key points line, a "For clinicians" box,
a table cell, a line of the trial card, a share handout's summaries) is tied in one of three ways:

  printed  a shortcode printed it from data/studies.yml (<span class="study-figure">, studies/render.py);
           its sentence must cite the study it comes from
  ledger   it sits inside a claims-ledger entry for this page (data/claims.yml: the claim, the key its
           sentence cites, the source passage it rests on)
  record   it equals a value recorded for a work the same sentence cites: that study's key numbers in
           data/studies.yml (value, interval ends, p, range, and the value rounded by the one rule,
           studies/render.py rounded; "1 in 4" matches a recorded 25%), the numbers in its label and
           note, its size, who took part and its length, or the work's publication details in
           references.bib (title, date, volume, issue, pages, note)

Anything else (a figure in a sentence that cites nothing, or one that differs from every record of
the works cited) is a problem naming the page line and the nearest record it should match. The
ledger's `not_claims` (999, 111, spine levels...) are not figures. Pure Python: the claims feature
runs it on each page's HTML during the build (build.py); `python -m backpain_site.features.claims
figures` counts what it finds on a built site.

`Checks` keeps each page's result (its problems) in memory for the session and in `.cache/figures/`
across builds, by everything that decides it: the page's HTML, its ledger claims, the not_claims
patterns, the work names and citation aliases, the works a handout restates, the code of this
check (this module, prose.py, numbers.py, kernel/html_tree.py) and the Python version; and, tried on
every use, the answers the records gave: the check reads the records only through two questions
(is this value recorded for these works? which of their records is nearest to it?, `Ties`), so a
kept result stands when the current records answer each of its questions the same way. Editing a
reference in references.bib or a number in data/studies.yml then re-checks only the pages whose
figures it could tie or untie.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from backpain_site.kernel import build_cache
from backpain_site.kernel.html_tree import Node, parsed, reference_list_span

from .ledger import Claim
from .numbers import figures_in
from .prose import GENERATED, Sentence, _inline_text, _split, _walk, article, citation_key, normalise, sentences_in

DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
BIB_FIELDS = ("title", "year", "month", "date", "volume", "number", "pages", "howpublished", "note")
HOW = ("printed", "ledger", "record", "untied")


@dataclass(frozen=True)
class Record:
    """Values recorded for one work: a key number, the study's description, or its publication details."""

    key: str
    name: str  # "neason2025running/average-pain"
    where: str  # "data/studies.yml:118"
    shown: str  # how the record reads, for messages
    values: frozenset = frozenset()


def value_of(text: str) -> Decimal | None:
    """The size of a number as written ("−15.30", "22.6%", "2,539", "<0.001"), or None."""
    text = text.strip().lstrip("<>=+-−≤≥ ").rstrip("%").replace(",", "")
    try:
        return abs(Decimal(text)).normalize()
    except InvalidOperation:
        return None


_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
_IN = re.compile(r"(\w+)\s+in\s+(?:every\s+)?(\w+)", re.I)


def proportion(figure: str) -> Decimal | None:
    """ "1 in 4" or "one in four" as a percentage (25), to match a recorded 25%; None for anything else."""
    match = _IN.fullmatch(figure)
    if not match:
        return None
    x, y = (_WORDS.get(w.lower()) if not w.isdigit() else int(w) for w in match.groups())
    if x is None or not y:
        return None
    return (Decimal(100) * x / y).normalize()


def _digits(*texts: str | None) -> set[Decimal]:
    return {v for text in texts if text for d in DIGITS.findall(text) if (v := value_of(d)) is not None}


def study_records(data) -> dict[str, list[Record]]:
    """Each study's records in data/studies.yml (StudyData from studies/data.py), by key."""
    from backpain_site.features.studies import number_text, rounded

    out: dict[str, list[Record]] = {}
    if data is None:
        return out
    for key, study in data.studies.items():
        records = []
        for n in study.numbers:
            exact = [v for v in (n.value, *(n.ci or ()), *(n.range or ()), n.p) if v]
            values = {v for t in exact if (v := value_of(t)) is not None}
            values |= {v for t in (n.value, *(n.range or ())) if t and (v := value_of(rounded(t, n.unit))) is not None}
            values |= _digits(n.label, n.note)
            records.append(Record(key, f"{key}/{n.id}", f"{data.file}:{n.line}", number_text(n), frozenset(values)))
        about = _digits(study.participants, study.duration) | ({Decimal(study.size.count)} if study.size else set())
        records.append(
            Record(
                key,
                f"{key} (who took part, size, length)",
                f"{data.file}:{study.line}",
                "; ".join(
                    filter(None, [study.size.text() if study.size else None, study.participants, study.duration])
                ),
                frozenset(about),
            )
        )
        out[key] = records
    return out


def bib_records(entries) -> dict[str, list[Record]]:
    """Each work's publication details (title, date, volume, issue, pages, note) from the scanned .bib entries."""
    out: dict[str, list[Record]] = {}
    for key, entry in entries.items():
        fields = {name: entry.fields[name] for name in BIB_FIELDS if entry.fields.get(name)}
        if fields:
            out[key] = [
                Record(
                    key,
                    f"{key} (publication details)",
                    f"{entry.file}:{entry.line}",
                    ", ".join(f"{k} {v}" for k, v in fields.items()),
                    frozenset(_digits(*fields.values())),
                )
            ]
    return out


def merge(*parts: dict[str, list[Record]]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for part in parts:
        for key, records in part.items():
            out.setdefault(key, []).extend(records)
    return out


@dataclass
class Seen:
    """One figure on a page and how it is tied (HOW), with the problem when it is not."""

    text: str  # the sentence or table cell it is in
    figure: str
    how: str
    problem: str = ""


@dataclass
class PageFigures:
    seen: list[Seen] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(s.how for s in self.seen)

    def problems(self) -> list[Seen]:
        return [s for s in self.seen if s.problem]


def _nearest(value: Decimal | None, records: list[Record]) -> Record | None:
    if value is None:
        return records[0] if records else None
    best = None
    for record in records:
        for v in record.values:
            distance = abs(v - value)
            if best is None or distance < best[0]:
                best = (distance, record)
    return best[1] if best else None


class Ties:
    """The check's only reads of the records: is this value recorded for these works, and which of their
    records is nearest to it. With `log`, every question and its answer is noted, so that a kept
    result can be tried against the current records by asking the same questions again (Checks)."""

    def __init__(self, records: dict[str, list[Record]], log: list | None = None):
        self.records = records
        self.log = log
        self._own: dict[tuple[str, ...], tuple[list[Record], set]] = {}

    def own(self, keys: tuple[str, ...]) -> tuple[list[Record], set]:
        if keys not in self._own:
            records = [r for key in keys for r in self.records.get(key, [])]
            self._own[keys] = (records, set().union(*(r.values for r in records)) if records else set())
        return self._own[keys]

    def recorded(self, keys: tuple[str, ...], value: Decimal | None) -> bool:
        answer = value is not None and value in self.own(keys)[1]
        if self.log is not None:
            self.log.append(["recorded", list(keys), None if value is None else str(value), answer])
        return answer

    def nearest(self, keys: tuple[str, ...], value: Decimal | None) -> Record | None:
        near = _nearest(value, self.own(keys)[0])
        if self.log is not None:
            answer = None if near is None else [near.name, near.where, near.shown]
            self.log.append(["nearest", list(keys), None if value is None else str(value), answer])
        return near

    def same_answers(self, questions: list) -> bool:
        """Whether the current records answer every noted question as it was answered."""
        for kind, keys, value, answer in questions:
            asked = None if value is None else Decimal(value)
            if kind == "recorded":
                if self.recorded(tuple(keys), asked) != answer:
                    return False
            elif kind == "nearest":
                near = self.nearest(tuple(keys), asked)
                if (None if near is None else [near.name, near.where, near.shown]) != answer:
                    return False
            else:
                return False
        return True


def _check(
    text: str,
    keys: tuple[str, ...],
    printed: tuple[tuple[str, str], ...],
    claims: list[tuple[str, tuple]],
    not_claims,
    records: dict[str, list[Record]] | Ties,
    out: PageFigures,
    names: dict[str, str],
) -> None:
    """Tie every figure of one sentence (or table cell) cited with `keys`; `claims` are this page's ledger
    claims as (normalised text, keys)."""
    for ref, shown in printed:
        key = ref.split("/", 1)[0]
        problem = (
            ""
            if key in keys
            else (
                f'"{shown}" is printed from {ref}, but its sentence does not cite '
                f"{key}: cite it in the sentence, as the figure's source"
            )
        )
        out.seen.append(Seen(text, shown, "printed", problem))
        text = text.replace(shown, " ", 1)
    flat = normalise(text)
    found = figures_in(flat, not_claims)
    if not found:
        return
    covered = []
    for wanted, cites in claims:
        start = flat.find(wanted) if wanted and all(k in keys for k in cites) else -1
        while start >= 0:
            covered.append((start, start + len(wanted)))
            start = flat.find(wanted, start + 1)
    named = tuple(key for name, key in names.items() if name in text)  # "Belavý 2017" names its work
    keys = tuple(dict.fromkeys(keys + named))
    ties = records if isinstance(records, Ties) else Ties(records)
    for start, end, figure in found:
        if any(s <= start and end <= e for s, e in covered):
            out.seen.append(Seen(text, figure, "ledger"))
            continue
        value = value_of(figure) if DIGITS.fullmatch(figure.rstrip("%")) else proportion(figure)
        if ties.recorded(keys, value):
            out.seen.append(Seen(text, figure, "record"))
            continue
        if not keys:
            problem = (
                f'"{figure}" in "{text}": the sentence cites no work, so the figure has no record to '
                f"match; cite the work it comes from"
            )
        else:
            near = ties.nearest(keys, value)
            hint = (
                f"; the nearest record is {near.name} ({near.where}): {near.shown}"
                if near
                else f"; {', '.join(keys)} has no recorded figures"
            )
            problem = (
                f'"{figure}" in "{text}" matches no record of the work(s) cited there '
                f"({', '.join(dict.fromkeys(keys))}){hint}. Print it from data/studies.yml with "
                f"<!-- figure key/number-id -->, or add a data/claims.yml entry (page, claim, cites, "
                f"evidence passage)"
            )
        out.seen.append(Seen(text, figure, "untied", problem))


# Generated blocks whose figures are still checked: the trial card's lines are typed in
# data/studies.yml `trials:` beside the numbers they restate, so they are held to those numbers too.
CHECKED_GENERATED = {"trial-card"}


def _generated(node: Node) -> bool:
    return bool(node.classes & (GENERATED - CHECKED_GENERATED)) or node.attrs.get("data-claims") == "skip"


def _previous_element(node: Node) -> Node | None:
    siblings = node.parent.children if node.parent else []
    before = [s for s in siblings[: siblings.index(node)] if isinstance(s, Node)] if node in siblings else []
    return before[-1] if before else None


def _table_keys(table: Node) -> tuple[str, ...]:
    """The works a table's figures come from: a figure table's study, or the sentence introducing it."""
    node = table
    while node.parent is not None and node.parent.tag == "div":
        node = node.parent
        if node.attrs.get("data-figures"):
            return (node.attrs["data-figures"],)
    lead = _previous_element(node)
    if lead is not None and lead.tag == "p":
        split = _split(_inline_text(lead))
        if split:
            return split[-1][1]
    return ()


def _tables(root: Node):
    for node in root.children:
        if not isinstance(node, Node) or _generated(node):
            continue
        if node.tag == "table":
            yield node
        else:
            yield from _tables(node)


def check(
    root: Node,
    claims: list[Claim],
    not_claims,
    records: dict[str, list[Record]],
    page_keys: tuple[str, ...] = (),
    names: dict[str, str] | None = None,
    aliases: dict[str, str] | None = None,
) -> PageFigures:
    """Every figure in a parsed page's article (prose sentences, then table cells), and how it is tied.
    `page_keys`: for a page that restates another without citing (a share handout's summaries), the
    works that page cites, which its uncited sentences are checked against. `names`: each work's name
    as the site writes it ("Belavý 2017" -> key): a sentence or table heading naming a work is checked
    against its records too. `aliases`: a citation's HTML id (`fn:knuth-ct-a`) -> its .bib key
    (`knuth:ct:a`), so a key of any shape finds its records and is named as the editor wrote it."""
    out, names, aliases = PageFigures(), names or {}, aliases or {}
    claimed = [(normalise(c.claim), c.cites) for c in claims]
    ties = records if isinstance(records, Ties) else Ties(records)

    def real(keys: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(aliases.get(key, key) for key in keys))

    for sentence in sentences_in(root):
        _check(sentence.text, real(sentence.keys) or page_keys, sentence.figures, claimed, not_claims, ties, out, names)
    for cell in table_cells(root):
        _check(cell.text, real(cell.keys), cell.figures, claimed, not_claims, ties, out, names)
    return out


def table_cells(root: Node) -> list[Sentence]:
    """The text of every table cell outside generated blocks, as sentences; each cites what its row
    cites and what the sentence introducing its table cites (or, in a figure table, its study)."""
    out = []
    for table in _tables(root):
        lead = _table_keys(table)
        for row in (n for n in _walk(table) if n.tag == "tr"):
            row_keys = tuple(k for n in _walk(row) if (k := citation_key(n)))
            for cell in (c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")):
                for text, keys, printed in _split(_inline_text(cell)):
                    out.append(Sentence(text, tuple(dict.fromkeys(keys + row_keys + lead)), cell.tag, keys, printed))
    return out


def check_html(
    html: str,
    claims: list[Claim],
    not_claims,
    records: dict[str, list[Record]],
    page_keys: tuple[str, ...] = (),
    names: dict[str, str] | None = None,
    aliases: dict[str, str] | None = None,
) -> PageFigures:
    return check(article(parsed(html)), claims, not_claims, records, page_keys, names, aliases)


def check_version() -> str:
    from backpain_site.kernel import html_tree

    from . import numbers, prose

    code = build_cache.source_of(sys.modules[__name__], prose, numbers, html_tree)
    return f"figures {code}; Python {platform.python_version()}"


def without_trailing_reference_list(html: str) -> str:
    """The page's HTML without its reference list when nothing but white space follows it (as
    Python-Markdown writes it): the check skips the list (GENERATED), and with nothing after it its
    absence changes no other element's place, so the result is the same; its key then stays the
    same when an edit to references.bib changes only the list."""
    span = reference_list_span(html)
    if span is None or html[span[1] :].strip():
        return html
    return html[: span[0]]


class Checks:
    """check_html's problems for a page, kept (see the module's docstring): in memory, on disk."""

    def __init__(self, root: str):
        self.disk = build_cache.Cache(root, "figures", check_version())
        self.memory: dict[str, dict] = {}

    def problems(
        self,
        html: str,
        claims: list[Claim],
        not_claims,
        records: dict[str, list[Record]],
        page_keys: tuple[str, ...] = (),
        names: dict[str, str] | None = None,
        aliases: dict[str, str] | None = None,
    ) -> list[tuple[str, str]]:
        """[(sentence, problem)] for the page's untied figures, as check_html finds them."""
        names, aliases = names or {}, aliases or {}
        html = without_trailing_reference_list(html)
        inputs = json.dumps(
            [
                html,
                [repr(claim) for claim in claims],
                [[p.pattern, p.flags] for p in not_claims],
                sorted(names.items()),
                sorted(aliases.items()),
                list(page_keys),
            ],
            ensure_ascii=False,
        )
        key = self.disk.key(inputs)
        kept = self.memory.get(key)
        if kept is None:
            try:
                kept = json.loads(self.disk.get(inputs) or "null")
            except ValueError:
                kept = None
        try:
            if kept is not None and Ties(records).same_answers(kept["questions"]):
                found = [(str(text), str(problem)) for text, problem in kept["problems"]]
                self.memory[key] = kept
                return found
        except (KeyError, TypeError, ValueError, ArithmeticError):
            pass
        questions: list = []
        result = check_html(html, claims, not_claims, Ties(records, questions), page_keys, names, aliases)  # type: ignore[arg-type]
        found = [(seen.text, seen.problem) for seen in result.problems()]
        kept = {"questions": questions, "problems": [list(item) for item in found]}
        self.disk.put(inputs, json.dumps(kept, ensure_ascii=False))
        if len(self.memory) > 4096:  # a long `mkdocs serve` session
            self.memory.clear()
        self.memory[key] = kept
        return found


__all__ = [
    "HOW",
    "Checks",
    "PageFigures",
    "Record",
    "Seen",
    "Sentence",
    "Ties",
    "bib_records",
    "check",
    "check_html",
    "merge",
    "study_records",
    "table_cells",
    "value_of",
]
