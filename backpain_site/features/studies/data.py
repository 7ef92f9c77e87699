"""Read data/studies.yml with line numbers and say exactly what is wrong and where.

The file holds one entry per cited work (design, who took part, size, length, main finding, key
numbers, limits), the trial cards and the charts. It is read from PyYAML's node tree
(`yaml.compose`), not `safe_load`, for two reasons: every problem can name its line, and numbers
keep the digits the editor typed (-15.30 stays "-15.30", not -15.3).

`parse()` never raises: it returns the data it could read and a list of Problems
("data/studies.yml:12: study "x", field "design": unknown design "RCT"; ...").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import yaml

from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import line_of
from backpain_site.kernel.yaml_nodes import read as read_yaml

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
FINDING_REQUIRED = ("id", "about", "studies", "certainty", "says", "certainty_reason")

STUDY_REQUIRED = ("key", "design", "participants", "size", "duration", "finding", "limits")
STUDY_OPTIONAL = ("design_note", "published_as", "numbers")
NULLABLE = ("participants", "size", "duration")  # null = "not reported" (shown so on the page)
NUMBER_REQUIRED = ("id", "label")
NUMBER_OPTIONAL = ("value", "range", "ci", "p", "unit", "note")
TRIAL_ITEMS = ("registration", "arms", "comparator", "participants", "primary_outcomes", "adherence", "adverse_events")
TRIAL_REQUIRED = ("id", "name") + TRIAL_ITEMS + ("effects",)
CHART_REQUIRED = ("id", "kind", "title", "caption", "axis_label", "rows")
CHART_OPTIONAL = ("unit", "mcid", "mcid_note", "mcid_cite")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")


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


class _Reader:
    """Walks the node tree; each check adds a Problem and returns None instead of raising."""

    def __init__(self, file: str, bib_keys: set[str]):
        self.file = file
        self.bib_keys = bib_keys
        self.problems: list[Problem] = []
        self.broken: set[str] = set()  # studies with a problem of their own: no follow-on messages

    def problem(self, node_or_line, where: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else line_of(node_or_line)
        self.problems.append(Problem(self.file, line, f"{where}: {message}" if where else message))

    # --- shapes ---------------------------------------------------------------------------------

    def mapping(self, node, where, required, optional=()) -> dict | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, "must be a set of fields (name: value)")
            return None
        fields = {}
        for key_node, value_node in node.value:
            name = key_node.value
            if name in fields:
                self.problem(key_node, where, f'field "{name}" appears twice')
            elif name not in required and name not in optional:
                known = list(required) + list(optional)
                close = difflib.get_close_matches(name, known, n=1)
                hint = f'; did you mean "{close[0]}"?' if close else f" (known fields: {', '.join(known)})"
                self.problem(key_node, where, f'unknown field "{name}"{hint}')
            else:
                fields[name] = value_node
        for name in required:
            if name not in fields:
                self.problem(node, where, f'missing field "{name}"')
        return fields

    def sequence(self, node, where) -> list | None:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, where, 'must be a list (lines starting with "- ")')
            return None
        return node.value

    def text(self, node, where, nullable=False) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":null"):
                if nullable:
                    return None
                self.problem(node, where, "must not be empty")
                return None
            if node.tag.endswith(":str") and node.value.strip():
                return node.value.strip()
            if node.tag.endswith(":str"):
                self.problem(node, where, "must not be empty")
                return None
        self.problem(node, where, "must be text" + (" or null (not reported)" if nullable else ""))
        return None

    def number(self, node, where) -> str | None:
        if isinstance(node, yaml.ScalarNode) and NUMBER.match(node.value.strip()) and not node.style:
            return node.value.strip()
        shown = node.value if isinstance(node, yaml.ScalarNode) else "a list or set of fields"
        self.problem(node, where, f'must be a number, not "{shown}"')
        return None

    def pair(self, node, where) -> tuple[str, str] | None:
        items = self.sequence(node, where)
        if items is None:
            return None
        if len(items) != 2:
            self.problem(node, where, f"must be two numbers [low, high], not {len(items)}")
            return None
        low, high = (self.number(item, where) for item in items)
        if low is None or high is None:
            return None
        if float(low) > float(high):
            self.problem(node, where, f"low ({low}) is above high ({high})")
            return None
        return (low, high)

    def bib_key(self, node, where) -> str | None:
        key = self.text(node, where)
        if key is None:
            return None
        if key not in self.bib_keys:
            close = difflib.get_close_matches(key, sorted(self.bib_keys), n=1, cutoff=0.6)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            self.problem(node, where, f'no entry "{key}" in references.bib{hint}')
            return None
        return key

    # --- parts ----------------------------------------------------------------------------------

    def study(self, node, index) -> Study | None:
        where = f"study #{index} (no key)"
        key_node = None
        if isinstance(node, yaml.MappingNode):  # name the entry in every message, "missing field" too
            key_node = next((v for k, v in node.value if k.value == "key"), None)
            if isinstance(key_node, yaml.ScalarNode) and key_node.value.strip():
                where = f'study "{key_node.value.strip()}"'
        fields = self.mapping(node, where, STUDY_REQUIRED, STUDY_OPTIONAL)
        if fields is None:
            return None
        key = self.bib_key(key_node, f'{where}, field "key"') if "key" in fields else None

        design = None
        if "design" in fields:
            design = self.text(fields["design"], f'{where}, field "design"')
            if design is not None and design not in DESIGNS:
                self.problem(
                    fields["design"],
                    f'{where}, field "design"',
                    f'unknown design "{design}"; use one of: ' + ", ".join(f'"{d}"' for d in DESIGNS),
                )
                design = None
        published_as = None
        if "published_as" in fields:
            published_as = self.text(fields["published_as"], f'{where}, field "published_as"')
            if published_as is not None and published_as not in PUBLISHED_AS:
                self.problem(
                    fields["published_as"],
                    f'{where}, field "published_as"',
                    f'unknown value "{published_as}"; use one of: '
                    + ", ".join(f'"{p}"' for p in PUBLISHED_AS)
                    + " (leave it out for a journal article)",
                )
                published_as = None

        values = {}
        for name in ("participants", "duration", "finding", "design_note"):
            if name in fields:
                values[name] = self.text(fields[name], f'{where}, field "{name}"', nullable=name in NULLABLE)
        size = self.size(fields["size"], f'{where}, field "size"') if "size" in fields else None
        limits = []
        if "limits" in fields:
            for item in self.sequence(fields["limits"], f'{where}, field "limits"') or []:
                text = self.text(item, f'{where}, field "limits"')
                if text:
                    limits.append(text)
        numbers = []
        if "numbers" in fields:
            seen: dict[str, int] = {}
            for item in self.sequence(fields["numbers"], f'{where}, field "numbers"') or []:
                number = self.number_entry(item, f'{where}, field "numbers"')
                if number is None:
                    continue
                if number.id in seen:
                    self.problem(
                        item,
                        f'{where}, field "numbers"',
                        f'number id "{number.id}" is used twice (first on line {seen[number.id]})',
                    )
                    continue
                seen[number.id] = number.line
                numbers.append(number)
        if (
            key is None
            or design is None
            or any(f not in fields for f in STUDY_REQUIRED)
            or values.get("finding") is None
            or any(p.line >= line_of(node) and p.message.startswith(where) for p in self.problems)
        ):
            if key_node is not None and isinstance(key_node, yaml.ScalarNode):
                self.broken.add(key_node.value.strip())
            return None
        return Study(
            key=key,
            design=design,
            participants=values.get("participants"),
            size=size,
            duration=values.get("duration"),
            finding=values["finding"],
            limits=limits,
            numbers=numbers,
            design_note=values.get("design_note"),
            published_as=published_as,
            line=line_of(node),
        )

    def size(self, node, where) -> Size | None:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return None
        fields = self.mapping(node, where, ("count", "unit"))
        if not fields or "count" not in fields or "unit" not in fields:
            return None
        count_node = fields["count"]
        if not (
            isinstance(count_node, yaml.ScalarNode)
            and count_node.tag.endswith(":int")
            and int(count_node.value.replace("_", "")) > 0
        ):
            shown = count_node.value if isinstance(count_node, yaml.ScalarNode) else "a list"
            self.problem(count_node, where, f'"count" must be a whole number above 0, not "{shown}"')
            return None
        unit = self.text(fields["unit"], where)
        return Size(int(count_node.value.replace("_", "")), unit) if unit else None

    def number_entry(self, node, where) -> Number | None:
        fields = self.mapping(node, where, NUMBER_REQUIRED, NUMBER_OPTIONAL)
        if fields is None or any(f not in fields for f in NUMBER_REQUIRED):
            return None
        number_id = self.text(fields["id"], where)
        if number_id is not None and not SLUG.match(number_id):
            self.problem(fields["id"], where, f'number id "{number_id}" must be lower-case words joined by "-"')
            number_id = None
        where = f'{where}, number "{number_id}"' if number_id else where
        label = self.text(fields["label"], where)
        if ("value" in fields) == ("range" in fields):
            self.problem(node, where, 'give either "value" or "range" [low, high], not both or neither')
            return None
        value = self.number(fields["value"], f'{where}, field "value"') if "value" in fields else None
        span = self.pair(fields["range"], f'{where}, field "range"') if "range" in fields else None
        ci = self.pair(fields["ci"], f'{where}, field "ci"') if "ci" in fields else None
        if ci and value is not None and not float(ci[0]) <= float(value) <= float(ci[1]):
            self.problem(
                fields["ci"], f'{where}, field "ci"', f"the value {value} lies outside its interval {ci[0]} to {ci[1]}"
            )
            ci = None
        p = self.text_or_number(fields["p"], f'{where}, field "p"') if "p" in fields else None
        unit = self.text(fields["unit"], f'{where}, field "unit"') if "unit" in fields else ""
        note = self.text(fields["note"], f'{where}, field "note"') if "note" in fields else None
        if number_id is None or label is None or (value is None and span is None):
            return None
        return Number(
            id=number_id,
            label=label,
            value=value,
            range=span,
            ci=ci,
            p=p,
            unit=unit or "",
            note=note,
            line=line_of(node),
        )

    def text_or_number(self, node, where) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.value.strip():
            return node.value.strip()
        self.problem(node, where, 'must be a number or text such as "<0.001"')
        return None

    def cite_list(self, node, where, data: StudyData) -> list[str]:
        keys = []
        for item in self.sequence(node, where) or []:
            key = self.bib_key(item, where)
            if key:
                keys.append(key)
                data.cites.append((key, line_of(item)))
        if not keys:
            self.problem(node, where, "cite at least one work")
        return keys

    def number_ref(self, node, where, data: StudyData) -> tuple[str, Number] | None:
        ref = self.text(node, where)
        if ref is None:
            return None
        key, _, number_id = ref.partition("/")
        study = data.studies.get(key)
        if key in self.broken:
            return None  # its own problem is already reported
        if not number_id:
            self.problem(node, where, f'"{ref}" must name a study and one of its numbers: "studykey/number-id"')
            return None
        if study is None:
            self.problem(node, where, f'no study "{key}" in this file')
            return None
        number = study.number(number_id)
        if number is None:
            known = ", ".join(f'"{n.id}"' for n in study.numbers) or "none"
            self.problem(node, where, f'study "{key}" has no number "{number_id}" (its numbers: {known})')
            return None
        data.cites.append((key, line_of(node)))
        return key, number

    def rows(self, node, where, data: StudyData, kind: str | None = "differences") -> list[ChartRow]:
        """Rows of a chart or a trial's effects: a short label and a study's number ("key/id")."""
        rows = []
        for row_node in self.sequence(node, where) or []:
            row = self.mapping(row_node, where, ("label", "number"))
            if not row or "label" not in row or "number" not in row:
                continue
            label = self.text(row["label"], where)
            found = self.number_ref(row["number"], where, data)
            if not (label and found):
                continue
            key, number = found
            if kind == "differences" and (number.value is None or number.ci is None):
                self.problem(row["number"], where, f'"{key}/{number.id}" needs a "value" and a "ci" (95% CI)')
                continue
            rows.append(ChartRow(label, key, number))
        return rows

    def trial(self, node, data: StudyData) -> Trial | None:
        fields = self.mapping(node, "trial", TRIAL_REQUIRED)
        if fields is None:
            return None
        trial_id = self.text(fields["id"], 'trial, field "id"') if "id" in fields else None
        where = f'trial "{trial_id}"' if trial_id else "trial"
        name = self.text(fields["name"], f'{where}, field "name"') if "name" in fields else None
        items = {}
        for item_name in TRIAL_ITEMS:
            if item_name not in fields:
                continue
            item_where = f'{where}, field "{item_name}"'
            parts = self.mapping(fields[item_name], item_where, ("text", "cite"))
            if parts and "text" in parts and "cite" in parts:
                text = self.text(parts["text"], item_where)
                cite = self.cite_list(parts["cite"], item_where, data)
                if text and cite:
                    items[item_name] = Item(text, cite)
        effects = self.rows(fields["effects"], f'{where}, field "effects"', data) if "effects" in fields else []
        if trial_id is None or name is None or len(items) != len(TRIAL_ITEMS) or not effects:
            return None
        return Trial(id=trial_id, name=name, items=items, effects=effects, line=line_of(node))

    def finding(self, node, data: StudyData) -> Finding | None:
        fields = self.mapping(node, "finding", FINDING_REQUIRED)
        if fields is None:
            return None
        finding_id = self.text(fields["id"], 'finding, field "id"') if "id" in fields else None
        if finding_id is not None and not SLUG.match(finding_id):
            self.problem(
                fields["id"], 'finding, field "id"', f'id "{finding_id}" must be lower-case words joined by "-"'
            )
            finding_id = None
        where = f'finding "{finding_id}"' if finding_id else "finding"
        values = {
            name: self.text(fields[name], f'{where}, field "{name}"')
            for name in ("about", "says", "certainty_reason")
            if name in fields
        }
        keys = []
        if "studies" in fields:
            for item in self.sequence(fields["studies"], f'{where}, field "studies"') or []:
                key = self.text(item, f'{where}, field "studies"')
                if key is None or key in self.broken:
                    continue
                if key not in data.studies:
                    close = difflib.get_close_matches(key, sorted(data.studies), n=1, cutoff=0.6)
                    hint = f'; did you mean "{close[0]}"?' if close else ""
                    self.problem(item, f'{where}, field "studies"', f'no study "{key}" in this file{hint}')
                    continue
                keys.append(key)
                data.cites.append((key, line_of(item)))
            if not keys and not self.problems:
                self.problem(fields["studies"], f'{where}, field "studies"', "name at least one study")
        certainty = None
        if "certainty" in fields:
            certainty = self.text(fields["certainty"], f'{where}, field "certainty"')
            if certainty is not None and certainty not in CERTAINTY:
                self.problem(
                    fields["certainty"],
                    f'{where}, field "certainty"',
                    f'unknown certainty "{certainty}"; use one of: ' + ", ".join(f'"{c}"' for c in CERTAINTY),
                )
                certainty = None
        says = values.get("says")
        if certainty and says:
            words = CERTAINTY[certainty][1]
            lowered = f" {says.lower()} "
            if words and not any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words):
                self.problem(
                    fields["says"],
                    f'{where}, field "says"',
                    f'a "{certainty}" certainty finding must say '
                    + " or ".join(f'"{w}"' for w in words)
                    + " (GRADE's plain words for this level)",
                )
                says = None
            elif not words and any(re.search(rf"\b{w}\b", lowered) for w in HEDGES):
                self.problem(
                    fields["says"],
                    f'{where}, field "says"',
                    'a "high" certainty finding is stated plainly, without "may", "probably" or "uncertain"',
                )
                says = None
        if (
            finding_id is None
            or certainty is None
            or not keys
            or says is None
            or not values.get("about")
            or not values.get("certainty_reason")
        ):
            return None
        return Finding(
            id=finding_id,
            about=values["about"],
            studies=keys,
            certainty=certainty,
            says=says,
            reason=values["certainty_reason"],
            line=line_of(node),
        )

    def chart(self, node, data: StudyData) -> Chart | None:
        fields = self.mapping(node, "chart", CHART_REQUIRED, CHART_OPTIONAL)
        if fields is None:
            return None
        chart_id = self.text(fields["id"], 'chart, field "id"') if "id" in fields else None
        where = f'chart "{chart_id}"' if chart_id else "chart"
        values = {}
        for name in ("title", "caption", "axis_label", "unit", "mcid_note"):
            if name in fields:
                values[name] = self.text(fields[name], f'{where}, field "{name}"')
        kind = self.text(fields["kind"], f'{where}, field "kind"') if "kind" in fields else None
        if kind is not None and kind not in CHART_KINDS:
            self.problem(
                fields["kind"],
                f'{where}, field "kind"',
                f'unknown chart kind "{kind}"; use one of: ' + ", ".join(f'"{k}"' for k in CHART_KINDS),
            )
            kind = None
        mcid = None
        if "mcid" in fields and not (
            isinstance(fields["mcid"], yaml.ScalarNode) and fields["mcid"].tag.endswith(":null")
        ):
            mcid = self.number(fields["mcid"], f'{where}, field "mcid"')
        mcid_cite = (
            self.cite_list(fields["mcid_cite"], f'{where}, field "mcid_cite"', data) if "mcid_cite" in fields else []
        )
        if kind == "differences" and mcid is None and not values.get("mcid_note"):
            self.problem(node, where, 'with no "mcid" value, "mcid_note" must say why no line is drawn')
        rows = self.rows(fields["rows"], f'{where}, field "rows"', data, kind) if "rows" in fields else []
        if "rows" in fields and not rows and not self.problems:
            self.problem(fields["rows"], f'{where}, field "rows"', "needs at least one row")
        needed = ("title", "caption", "axis_label")
        if chart_id is None or kind is None or any(not values.get(n) for n in needed) or not rows:
            return None
        return Chart(
            id=chart_id,
            kind=kind,
            title=values["title"],
            caption=values["caption"],
            axis_label=values["axis_label"],
            rows=rows,
            unit=values.get("unit") or "",
            mcid=mcid,
            mcid_note=values.get("mcid_note"),
            mcid_cite=mcid_cite,
            line=line_of(node),
        )


def parse(text: str, file: str, bib_keys: set[str]) -> tuple[StudyData, list[Problem]]:
    """The file's studies, trials and charts, and every problem found (none raise)."""
    data = StudyData(file=file)
    reader = _Reader(file, bib_keys)
    root, bad = read_yaml(text, file)
    if bad:
        return data, [bad]
    if root is None:
        return data, [Problem(file, 0, 'the file is empty; it needs a "studies:" list')]
    top = reader.mapping(root, "", ("studies",), ("trials", "charts", "findings"))
    if top is None:
        return data, reader.problems
    seen: dict[str, int] = {}
    for index, node in enumerate(reader.sequence(top.get("studies"), '"studies"') or [] if "studies" in top else [], 1):
        study = reader.study(node, index)
        if study is None:
            continue
        if study.key in seen:
            reader.problem(
                node, f'study "{study.key}"', f"second entry for this work (the first is on line {seen[study.key]})"
            )
            continue
        seen[study.key] = study.line
        data.studies[study.key] = study
    for name, build, store in (
        ("trials", reader.trial, data.trials),
        ("charts", reader.chart, data.charts),
        ("findings", reader.finding, data.findings),
    ):
        if name not in top:
            continue
        for node in reader.sequence(top[name], f'"{name}"') or []:
            part = build(node, data)
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
