"""Read data/studies.yml with line numbers and say exactly what is wrong and where.

The file holds one entry per cited work (design, who took part, size, length, main finding, key
numbers, limits), the trial cards and the charts. Its shape is declared once below (STUDY, NUMBER,
TRIAL, CHART, FINDING) and checked by the kernel's one walker over PyYAML's node tree
(backpain_site/kernel/schema.py), so every problem names its line and numbers keep the digits the
editor typed (-15.30 stays "-15.30", not -15.3). What is not shape stays here as plain functions
run after it (`_Links`): keys in references.bib, the certainty level against the finding's words,
chart rows naming a study's number, entries given twice.

`parse()` never raises: it returns the data it could read and a list of Problems
("data/studies.yml:12: study "x", field "design": unknown design "RCT"; ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from backpain_site.kernel.problems import Problem
from backpain_site.kernel.schema import (
    Count,
    Decimal,
    Entry,
    Field,
    ListOf,
    OneOf,
    OrNull,
    Pair,
    Reader,
    Record,
    Text,
    did_you_mean,
    optional,
    read_file,
    text_of,
)
from backpain_site.kernel.yaml_nodes import line_of

# Study designs, and how a reader sees each in a badge.
DESIGNS = {
    "randomised trial": "Randomised trial",
    "systematic review/meta-analysis": "Systematic review",
    "cohort": "Cohort study",
    "cross-sectional": "Cross-sectional study",
    "narrative review": "Narrative review",
    "guideline": "Guideline",
    "protocol": "Trial protocol",
    "information": "Information page",  # a service's or charity's page for the public (signposting)
}
# How a work was published, when it is not a full journal article (shown in the badge).
PUBLISHED_AS = ("conference abstract", "trial registry record", "web page", "clinical pathway")
CHART_KINDS = ("ranges", "differences")
# How sure the site team is about a main finding, in GRADE's four levels. Each level has the plain
# words GRADE's guidance on informative statements gives it (Santesso et al. 2020; "probably" is the
# Cochrane plain-language form of "likely"), and `says` must use them, so a level and its sentence
# never disagree. High certainty uses none of the hedges.
CERTAINTY = {
    "high": ("High", ()),
    "moderate": ("Moderate", ("probably", "likely")),
    "low": ("Low", ("may",)),
    "very low": ("Very low", ("very uncertain",)),
}
HEDGES = ("probably", "likely", "may", "uncertain")
TRIAL_ITEMS = ("registration", "arms", "comparator", "participants", "primary_outcomes", "adherence", "adverse_events")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@dataclass
class Size:
    count: int
    unit: str

    def text(self) -> str:
        return f"{self.count:,} {self.unit}"


@dataclass
class Number:
    id: str
    label: str
    value: str | None = None  # as typed in the file, e.g. "-15.30"
    range: tuple[str, str] | None = None
    ci: tuple[str, str] | None = None
    p: str | None = None
    unit: str = ""
    note: str | None = None
    line: int = 0


@dataclass
class Study:
    key: str
    design: str
    participants: str | None
    size: Size | None
    duration: str | None
    finding: str
    limits: list[str]
    numbers: list[Number] = field(default_factory=list)
    design_note: str | None = None
    published_as: str | None = None
    line: int = 0

    def number(self, number_id: str) -> Number | None:
        return next((n for n in self.numbers if n.id == number_id), None)


@dataclass
class Item:
    """One line of a trial card: plain text and the works that support it."""

    text: str
    cite: list[str]


@dataclass
class Trial:
    id: str
    name: str
    items: dict[str, Item]  # TRIAL_ITEMS -> Item
    effects: list[ChartRow]  # label, study key, number
    line: int = 0


@dataclass
class ChartRow:
    label: str
    key: str  # the study the number comes from
    number: Number


@dataclass
class Chart:
    id: str
    kind: str
    title: str
    caption: str
    axis_label: str
    rows: list[ChartRow]
    unit: str = ""
    mcid: str | None = None
    mcid_note: str | None = None
    mcid_cite: list[str] = field(default_factory=list)  # works behind mcid_note
    line: int = 0


@dataclass
class Finding:
    """One main finding and how sure the site team is about it (its own judgement, not a formal
    GRADE assessment): `says` is the finding in GRADE's plain words for its level, `reason` why."""

    id: str
    about: str
    studies: list[str]
    certainty: str  # a key of CERTAINTY
    says: str
    reason: str
    line: int = 0

    @property
    def label(self) -> str:
        return CERTAINTY[self.certainty][0]


@dataclass
class StudyData:
    file: str
    studies: dict[str, Study] = field(default_factory=dict)
    trials: dict[str, Trial] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)

    def findings_for(self, key: str) -> list[Finding]:
        """The rated main findings that rest on this work, in file order."""
        return [f for f in self.findings.values() if key in f.studies]

    cites: list[tuple[str, int]] = field(default_factory=list)  # (key, line) of every cite: in the file


# --- the file's shape ---------------------------------------------------------------------------


def _study_label(where: str, fields: Mapping[str, yaml.Node], index: int) -> str:
    key = fields.get("key")  # named by its key as typed, in every message ("missing field" too)
    if isinstance(key, yaml.ScalarNode) and key.value.strip():
        return f'study "{key.value.strip()}"'
    return f"study #{index} (no key)"


def _label(noun: str, pattern: re.Pattern[str] | None = None, within: bool = False):
    """'trial "x"' (or 'trial' until its id is right); within: after where its list is."""

    def label(where: str, fields: Mapping[str, yaml.Node], index: int) -> str:
        name = text_of(fields.get("id"))
        if name is None or (pattern is not None and not pattern.match(name)):
            return where if within else noun
        return f'{where}, {noun} "{name}"' if within else f'{noun} "{name}"'

    return label


TEXT = Text()
NOT_REPORTED = Text(null="not reported")  # null = "not reported" (shown so on the page)
SLUG_WORDS = 'must be lower-case words joined by "-"'

NUMBER_ENTRY = Record(
    {
        "id": Field(Text(pattern=SLUG, wrong='number id "{}" ' + SLUG_WORDS), bare=True),
        "label": Field(TEXT, bare=True),
        "value": optional(Decimal()),
        "range": optional(Pair()),
        "ci": optional(OrNull(Pair())),
        "p": optional(Text(scalars=True, message='must be a number or text such as "<0.001"')),
        "unit": optional(TEXT),
        "note": optional(TEXT),
    },
    label=_label("number", SLUG, within=True),
)
SIZE = Record(
    {"count": Field(Count('"count" must be a whole number above 0'), bare=True), "unit": Field(TEXT, bare=True)}
)
STUDY = Record(
    {
        "key": Field(TEXT),
        "design": Field(OneOf(tuple(DESIGNS), "design")),
        "participants": Field(NOT_REPORTED),
        "size": Field(OrNull(SIZE)),
        "duration": Field(NOT_REPORTED),
        "finding": Field(TEXT),
        "limits": Field(ListOf(TEXT)),
        "design_note": optional(TEXT),
        "published_as": optional(OneOf(PUBLISHED_AS, "value", " (leave it out for a journal article)")),
        "numbers": optional(ListOf(NUMBER_ENTRY)),
    },
    label=_study_label,
)
ROW = Record({"label": Field(TEXT, bare=True), "number": Field(TEXT, bare=True)})  # number: "studykey/number-id"
ITEM = Record({"text": Field(TEXT, bare=True), "cite": Field(ListOf(TEXT), bare=True)})
TRIAL = Record(
    {
        "id": Field(TEXT),
        "name": Field(TEXT),
        **{name: Field(ITEM) for name in TRIAL_ITEMS},
        "effects": Field(ListOf(ROW)),
    },
    label=_label("trial"),
)
CHART = Record(
    {
        "id": Field(TEXT),
        "kind": Field(OneOf(CHART_KINDS, "chart kind")),
        "title": Field(TEXT),
        "caption": Field(TEXT),
        "axis_label": Field(TEXT),
        "rows": Field(ListOf(ROW)),
        "unit": optional(TEXT),
        "mcid": optional(OrNull(Decimal())),
        "mcid_note": optional(TEXT),
        "mcid_cite": optional(ListOf(TEXT)),
    },
    label=_label("chart"),
)
FINDING = Record(
    {
        "id": Field(Text(pattern=SLUG, wrong='id "{}" ' + SLUG_WORDS)),
        "about": Field(TEXT),
        "studies": Field(ListOf(TEXT)),
        "certainty": Field(OneOf(tuple(CERTAINTY), "certainty")),
        "says": Field(TEXT),
        "certainty_reason": Field(TEXT),
    },
    label=_label("finding", SLUG),
)
FILE = Record(
    {
        "studies": Field(ListOf(STUDY)),
        "trials": optional(ListOf(TRIAL)),
        "charts": optional(ListOf(CHART)),
        "findings": optional(ListOf(FINDING)),
    }
)


# --- what is not shape --------------------------------------------------------------------------


class _Links:
    """The checks after the shape: each adds a Problem and returns None instead of raising. A study
    with a problem of its own is `broken`: what refers to it says nothing more (no follow-on noise)."""

    def __init__(self, reader: Reader, bib_keys: set[str], data: StudyData):
        self.reader = reader
        self.bib_keys = bib_keys
        self.data = data
        self.broken: set[str] = set()

    def problem(self, node, where: str, message: str) -> None:
        self.reader.problem(node, where, message)

    def in_bib(self, key: str, node, where: str) -> bool:
        if key in self.bib_keys:
            return True
        self.problem(node, where, f'no entry "{key}" in references.bib{did_you_mean(key, sorted(self.bib_keys))}')
        return False

    def study(self, entry: Entry) -> Study | None:
        ok = entry.ok
        key = entry.get("key")
        if key is not None and not self.in_bib(key, entry.nodes["key"], entry.where_of("key")):
            ok = False
        numbers = self.numbers(entry)
        if not ok or numbers is None:
            key_node = entry.nodes.get("key")
            if isinstance(key_node, yaml.ScalarNode):
                self.broken.add(key_node.value.strip())
            return None
        size = entry.get("size")
        return Study(
            key=key,
            design=entry.get("design"),
            participants=entry.get("participants"),
            size=Size(size.get("count"), size.get("unit")) if size else None,
            duration=entry.get("duration"),
            finding=entry.get("finding"),
            limits=entry.get("limits"),
            numbers=numbers,
            design_note=entry.get("design_note"),
            published_as=entry.get("published_as"),
            line=entry.line,
        )

    def numbers(self, study: Entry) -> list[Number] | None:
        """The study's numbers, each id once (None after a problem)."""
        numbers: list[Number] = []
        seen: dict[str, int] = {}
        ok = True
        for entry, node in study.items("numbers"):
            number = self.number(entry) if entry else None
            if number is None:
                ok = False
            elif number.id in seen:
                where = study.where_of("numbers")
                self.problem(node, where, f'number id "{number.id}" is used twice (first on line {seen[number.id]})')
                ok = False
            else:
                seen[number.id] = number.line
                numbers.append(number)
        return numbers if ok else None

    def number(self, entry: Entry) -> Number | None:
        if ("value" in entry) == ("range" in entry):
            self.problem(entry.node, entry.where, 'give either "value" or "range" [low, high], not both or neither')
            return None
        value, ci = entry.get("value"), entry.get("ci")
        if ci and value is not None and not float(ci[0]) <= float(value) <= float(ci[1]):
            message = f"the value {value} lies outside its interval {ci[0]} to {ci[1]}"
            self.problem(entry.nodes["ci"], entry.where_of("ci"), message)
            return None
        if not entry.ok:
            return None
        return Number(
            id=entry.get("id"),
            label=entry.get("label"),
            value=value,
            range=entry.get("range"),
            ci=ci,
            p=entry.get("p"),
            unit=entry.get("unit", ""),
            note=entry.get("note"),
            line=entry.line,
        )

    def cites(self, entry: Entry, name: str) -> list[str] | None:
        """The works a list of keys names (each in references.bib; at least one)."""
        keys = []
        for key, node in entry.items(name):
            if key is not None and self.in_bib(key, node, entry.where_of(name)):
                keys.append(key)
                self.data.cites.append((key, line_of(node)))
        if entry.get(name) == []:
            self.problem(entry.nodes[name], entry.where_of(name), "cite at least one work")
        return keys if len(keys) == len(entry.get(name, ())) and keys else None

    def number_ref(self, row: Entry) -> tuple[str, Number] | None:
        ref, node, where = row.get("number"), row.nodes["number"], row.where
        key, _, number_id = ref.partition("/")
        if key in self.broken:
            return None  # its own problem is already reported
        if not number_id:
            self.problem(node, where, f'"{ref}" must name a study and one of its numbers: "studykey/number-id"')
            return None
        study = self.data.studies.get(key)
        if study is None:
            self.problem(node, where, f'no study "{key}" in this file')
            return None
        number = study.number(number_id)
        if number is None:
            known = ", ".join(f'"{n.id}"' for n in study.numbers) or "none"
            self.problem(node, where, f'study "{key}" has no number "{number_id}" (its numbers: {known})')
            return None
        self.data.cites.append((key, line_of(node)))
        return key, number

    def rows(self, entry: Entry, name: str, kind: str | None = "differences") -> list[ChartRow] | None:
        """Rows of a chart or a trial's effects: a short label and a study's number ("key/id")."""
        rows: list[ChartRow] = []
        for row, _ in entry.items(name):
            found = self.number_ref(row) if row and row.get("number") else None
            if not (row and row.ok and found):
                continue
            key, number = found
            if kind == "differences" and (number.value is None or number.ci is None):
                self.problem(row.nodes["number"], row.where, f'"{key}/{number.id}" needs a "value" and a "ci" (95% CI)')
                continue
            rows.append(ChartRow(row.get("label"), key, number))
        if entry.get(name) == []:
            self.problem(entry.nodes[name], entry.where_of(name), "needs at least one row")
        return rows if rows and len(rows) == len(entry.get(name, ())) else None

    def trial(self, entry: Entry) -> Trial | None:
        items = {}
        for name in TRIAL_ITEMS:
            item = entry.get(name)
            cite = self.cites(item, "cite") if item else None
            if item and item.ok and cite:
                items[name] = Item(item.get("text"), cite)
        effects = self.rows(entry, "effects")
        if not entry.ok or len(items) != len(TRIAL_ITEMS) or not effects:
            return None
        return Trial(id=entry.get("id"), name=entry.get("name"), items=items, effects=effects, line=entry.line)

    def chart(self, entry: Entry) -> Chart | None:
        kind, mcid = entry.get("kind"), entry.get("mcid")
        mcid_cite = self.cites(entry, "mcid_cite") if "mcid_cite" in entry else []
        ok = entry.ok and mcid_cite is not None
        if kind == "differences" and mcid is None and not entry.get("mcid_note"):
            self.problem(entry.node, entry.where, 'with no "mcid" value, "mcid_note" must say why no line is drawn')
            ok = False
        rows = self.rows(entry, "rows", kind)
        if not ok or not rows:
            return None
        return Chart(
            id=entry.get("id"),
            kind=kind,
            title=entry.get("title"),
            caption=entry.get("caption"),
            axis_label=entry.get("axis_label"),
            rows=rows,
            unit=entry.get("unit", ""),
            mcid=mcid,
            mcid_note=entry.get("mcid_note"),
            mcid_cite=mcid_cite or [],
            line=entry.line,
        )

    def finding(self, entry: Entry) -> Finding | None:
        keys = []
        for key, node in entry.items("studies"):
            if key is None or key in self.broken:
                continue
            if key not in self.data.studies:
                hint = did_you_mean(key, sorted(self.data.studies))
                self.problem(node, entry.where_of("studies"), f'no study "{key}" in this file{hint}')
                continue
            keys.append(key)
            self.data.cites.append((key, line_of(node)))
        if entry.get("studies") == []:
            self.problem(entry.nodes["studies"], entry.where_of("studies"), "name at least one study")
        certainty, says = entry.get("certainty"), entry.get("says")
        if certainty and says and not self.says_as_sure(certainty, says, entry):
            return None
        if not entry.ok or not keys:
            return None
        return Finding(
            id=entry.get("id"),
            about=entry.get("about"),
            studies=keys,
            certainty=certainty,
            says=says,
            reason=entry.get("certainty_reason"),
            line=entry.line,
        )

    def says_as_sure(self, certainty: str, says: str, entry: Entry) -> bool:
        """Whether the finding's words are GRADE's plain words for its certainty level."""
        words = CERTAINTY[certainty][1]
        lowered = f" {says.lower()} "
        node, where = entry.nodes["says"], entry.where_of("says")
        if words and not any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words):
            self.problem(
                node,
                where,
                f'a "{certainty}" certainty finding must say '
                + " or ".join(f'"{w}"' for w in words)
                + " (GRADE's plain words for this level)",
            )
            return False
        if not words and any(re.search(rf"\b{w}\b", lowered) for w in HEDGES):
            self.problem(
                node, where, 'a "high" certainty finding is stated plainly, without "may", "probably" or "uncertain"'
            )
            return False
        return True


def parse(text: str, file: str, bib_keys: set[str]) -> tuple[StudyData, list[Problem]]:
    """The file's studies, trials and charts, and every problem found (none raise)."""
    data = StudyData(file=file)
    reader, top = read_file(text, file, FILE, empty='the file is empty; it needs a "studies:" list')
    if top is None:
        return data, reader.problems
    links = _Links(reader, bib_keys, data)
    for entry, node in top.items("studies"):
        study = links.study(entry) if entry else None
        if study is None:
            continue
        if study.key in data.studies:
            first = data.studies[study.key].line
            reader.problem(node, f'study "{study.key}"', f"second entry for this work (the first is on line {first})")
            continue
        data.studies[study.key] = study
    parts: tuple[tuple[str, Callable[[Entry], Any], dict[str, Any]], ...] = (
        ("trials", links.trial, data.trials),
        ("charts", links.chart, data.charts),
        ("findings", links.finding, data.findings),
    )
    for name, build, store in parts:
        for entry, node in top.items(name):
            part = build(entry) if entry else None
            if part is None:
                continue
            if part.id in store:
                reader.problem(node, f'{name[:-1]} "{part.id}"', f"id used twice (first on line {store[part.id].line})")
                continue
            store[part.id] = part
    return data, reader.problems


def uncovered(data: StudyData, cited: dict[str, list[tuple[str, int]]]) -> list[Problem]:
    """Works cited on pages with no entry here, and works cited here that no page cites.

    `cited` maps each key cited in the Markdown to where ((file, line), first first). The second kind
    matters because mkdocs-bibtex only knows the works the pages cite.
    """
    problems = []
    for key, places in sorted(cited.items()):
        if key not in data.studies:
            file, line = places[0]
            problems.append(
                Problem(
                    file,
                    line,
                    (
                        f'"{key}" is cited here but has no entry in {data.file}; add one (design, size, '
                        f"finding...) so its evidence badge can be shown"
                    ),
                )
            )
    lowered = {key.lower() for key in cited}
    for key, line in data.cites:
        if key.lower() not in lowered:
            problems.append(
                Problem(
                    data.file,
                    line,
                    (
                        f'"{key}" is cited in this file but on no page; cite it on a page too (the reference '
                        f"lists only know works the pages cite)"
                    ),
                )
            )
    return problems
