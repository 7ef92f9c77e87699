"""Declared shapes for the data files, checked by one walker over PyYAML's node tree.

A data file's shape is declared once, as data: which fields an entry has, which are required, what
kind of value each holds (text, a number as typed, one of a few words, a list, another entry), and
where null is allowed. `Reader.check(shape, node)` walks the nodes and reports every slip as a
`Problem` on the line of the node it is about, in the project's wording:

    data/studies.yml:28: study "smith2019review": unknown field "limit"; did you mean "limits"?
    data/studies.yml:17: study "smith2019review": missing field "limits"
    data/studies.yml:11: study "x", field "numbers", number "pain", field "value": must be a number, not "about 15"

What is not shape (a key that must be in references.bib, a reference to another entry, two fields
that must agree) stays in the feature, as plain functions over the checked `Entry`s.

Why not pydantic (v2, tried on data/studies.yml before this was written):
- pydantic validates Python values, not YAML nodes: each error's line has to be found again by
  walking the node tree along the error's `loc`, and a number typed as -15.30 or "15" (quoted) is
  already a float or a string by then, so "numbers as typed" needs a node-aware type of our own
  anyway. A first translator (line from loc, 'study "x", field ...' from loc, one wording per
  error type, per-field wording for the allowed values) was 74 lines for the `studies:` list
  alone, before trials, charts and findings, and still refused the 15 whole numbers typed as a
  number's value in the real file (a YAML int is not text as typed): about this walker's size, on
  top of the models.
- Importing it and building one model took about 86 ms, against 2.8 ms for parsing the whole of
  data/studies.yml, and it adds two packages (about 9 MB) to the site's dependencies.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import line_of
from backpain_site.kernel.yaml_nodes import read as read_yaml

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")
FIELD_SUFFIX = re.compile(r', field "[^"]*"\Z')


def is_null(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def text_of(node: yaml.Node | None) -> str | None:
    """A node's text when it is non-empty text (quoted or not), else None: for naming an entry."""
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str") and node.value.strip():
        return str(node.value.strip())
    return None


def shown(node: yaml.Node) -> str:
    """How a wrong value is quoted back to the editor."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return "a list" if isinstance(node, yaml.SequenceNode) else "a set of fields"


def did_you_mean(word: str, known: Sequence[str], cutoff: float = 0.6) -> str:
    """'; did you mean "limits"?' when a known word is close, else ''."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f'; did you mean "{close[0]}"?' if close else ""


class Reader:
    """The problems of one file, and the walker that finds them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, at: yaml.Node | int, where: str, message: str) -> None:
        line = at if isinstance(at, int) else line_of(at)
        self.problems.append(Problem(self.file, line, f"{where}: {message}" if where else message))

    def check(self, kind: Kind, node: yaml.Node, where: str = "") -> Any:
        """The value `node` holds if it has the declared shape (None, or an Entry with .ok False, if not)."""
        return kind.read(self, node, where, 0)


def read_file(text: str, file: str, kind: Kind, empty: str | None = None) -> tuple[Reader, Any]:
    """A data file's text read as YAML and checked against `kind`: the reader (with every problem) and
    the value, None when the file is not valid YAML, is empty or has the wrong shape. `empty`: the
    problem an empty file is (None: an empty file is simply nothing)."""
    reader = Reader(file)
    root, bad = read_yaml(text, file)
    if bad:
        reader.problems.append(bad)
        return reader, None
    if root is None:
        if empty:
            reader.problems.append(Problem(file, 0, empty))
        return reader, None
    return reader, reader.check(kind, root)


class Kind:
    """What a value must be. read() returns the value, or None after reporting the problem."""

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Kind):
    """Non-empty text, stripped. `null`: what null means where it is allowed ("not reported");
    `pattern`/`wrong`: a form the text must have, and the message when it has not ('{}' is the text);
    `scalars`: a number or date is taken as the text typed (a claim "40", a PubMed id unquoted);
    `message`: said instead of "must be text" / "must not be empty"."""

    null: str | None = None
    pattern: re.Pattern[str] | None = None
    wrong: str = ""
    scalars: bool = False
    message: str | None = None

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> str | None:
        if isinstance(node, yaml.ScalarNode) and (self.scalars or node.tag.endswith(":str") or is_null(node)):
            if is_null(node) and self.null is not None:
                return None
            text = "" if is_null(node) else str(node.value).strip()
            if not text:
                reader.problem(node, where, self.message or "must not be empty")
                return None
            if self.pattern is not None and not self.pattern.match(text):
                reader.problem(node, where, self.wrong.format(text))
                return None
            return text
        wrong_kind = "must be text" + (f" or null ({self.null})" if self.null is not None else "")
        reader.problem(node, where, self.message or wrong_kind)
        return None


@dataclass(frozen=True)
class OneOf(Kind):
    """One of a few words: 'unknown design "RCT"; use one of: "randomised trial", ...' + `after`."""

    choices: Sequence[str]
    noun: str = "value"
    after: str = ""

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> str | None:
        word = Text().read(reader, node, where, index)
        if word is not None and word not in self.choices:
            listed = ", ".join(f'"{c}"' for c in self.choices)
            reader.problem(node, where, f'unknown {self.noun} "{word}"; use one of: {listed}{self.after}')
            return None
        return word


class Decimal(Kind):
    """A number, kept as typed ("-15.30" stays "-15.30"); a quoted number is text, not a number."""

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> str | None:
        if isinstance(node, yaml.ScalarNode) and not node.style and NUMBER.match(node.value.strip()):
            return str(node.value.strip())
        reader.problem(node, where, f'must be a number, not "{shown(node)}"')
        return None


class Pair(Kind):
    """Two numbers [low, high], low not above high, each as typed."""

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> tuple[str, str] | None:
        if not isinstance(node, yaml.SequenceNode):
            reader.problem(node, where, 'must be a list (lines starting with "- ")')
            return None
        if len(node.value) != 2:
            reader.problem(node, where, f"must be two numbers [low, high], not {len(node.value)}")
            return None
        low, high = (Decimal().read(reader, item, where, index) for item in node.value)
        if low is None or high is None:
            return None
        if float(low) > float(high):
            reader.problem(node, where, f"low ({low}) is above high ({high})")
            return None
        return (low, high)


@dataclass(frozen=True)
class Count(Kind):
    """A whole number at least `least`, written as one (not quoted): `message` says so."""

    message: str
    least: int = 1

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":int"):
            try:
                count = int(node.value.replace("_", ""))
            except ValueError:  # 0x1A, 0o17: YAML ints, not counts anyone types
                count = self.least - 1
            if count >= self.least:
                return count
        reader.problem(node, where, f'{self.message}, not "{shown(node)}"')
        return None


@dataclass(frozen=True)
class OrNull(Kind):
    """`kind`, or null (read as None)."""

    kind: Kind

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> Any:
        return None if is_null(node) else self.kind.read(reader, node, where, index)


@dataclass(frozen=True)
class ListOf(Kind):
    """A list of `item`s; [] (and null, unless `null` is False) is an empty list. The values line up with the list's items (None
    for an item with a problem); None for a value that is not a list at all."""

    item: Kind
    message: str = 'must be a list (lines starting with "- ")'
    null: bool = True  # null reads as an empty list

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> list[Any] | None:
        if self.null and is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            reader.problem(node, where, self.message)
            return None
        return [self.item.read(reader, item, where, number) for number, item in enumerate(node.value, 1)]


@dataclass(frozen=True)
class Field:
    """One field of an entry. `bare`: its problems are told at the entry ('study "x": ...'), not at
    the field ('study "x", field "size": ...'); for fields that name or make up the entry."""

    kind: Kind
    required: bool = True
    bare: bool = False


def optional(kind: Kind, bare: bool = False) -> Field:
    return Field(kind, required=False, bare=bare)


# Names an entry in its messages, from the text before it is checked: (where the list is, the entry's
# fields as written, its 1-based place in the list) -> 'study "smith2019review"'.
Label = Callable[[str, Mapping[str, yaml.Node], int], str]


def numbered(noun: str, in_entry: bool = False) -> Label:
    """Names an entry by its place: 'change #3'; in_entry: after the entry that holds the list, not its
    field ('search #1, run #2', not 'search #1, field "runs", run #2')."""

    def label(where: str, fields: Mapping[str, yaml.Node], index: int) -> str:
        if not in_entry:
            return f"{noun} #{index}"
        entry = FIELD_SUFFIX.sub("", where)
        return f"{entry}, {noun} #{index}"

    return label


@dataclass(eq=False)
class Record(Kind):
    """An entry: a set of fields (name: value), each declared. Reads as an `Entry`."""

    fields: dict[str, Field]
    label: Label | None = None
    hint: str = "name: value"  # shown when the value is not a set of fields at all
    read_names: set[str] = field(default_factory=set, repr=False)  # the fields the code has asked for

    def read(self, reader: Reader, node: yaml.Node, where: str, index: int) -> Entry | None:
        if not isinstance(node, yaml.MappingNode):
            where = self.label(where, {}, index) if self.label is not None else where
            reader.problem(node, where, f"must be a set of fields ({self.hint})")
            return None
        before = len(reader.problems)
        pairs = [
            (key.value if isinstance(key, yaml.ScalarNode) else shown(key), key, value) for key, value in node.value
        ]
        if self.label is not None:
            written: dict[str, yaml.Node] = {}
            for name, _, value in pairs:
                written.setdefault(name, value)
            where = self.label(where, written, index)
        nodes: dict[str, yaml.Node] = {}
        for name, key, value in pairs:
            if name in nodes:
                reader.problem(key, where, f'field "{name}" appears twice')
            elif name not in self.fields:
                hint = did_you_mean(name, list(self.fields)) or f" (known fields: {', '.join(self.fields)})"
                reader.problem(key, where, f'unknown field "{name}"{hint}')
            else:
                nodes[name] = value
        for name, declared in self.fields.items():
            if declared.required and name not in nodes:
                reader.problem(node, where, f'missing field "{name}"')
        entry = Entry(self, node, where, nodes)
        for name, declared in self.fields.items():
            if name in nodes:
                entry.values[name] = declared.kind.read(reader, nodes[name], entry.where_of(name), index)
        entry.ok = len(reader.problems) == before
        return entry


class Entry:
    """A checked entry: its values (None where absent or wrong), the node of each field given, where
    its messages are told, and whether it had any problem (`ok`)."""

    def __init__(self, record: Record, node: yaml.Node, where: str, nodes: dict[str, yaml.Node]) -> None:
        self.record = record
        self.node = node
        self.where = where
        self.nodes = nodes
        self.values: dict[str, Any] = {}
        self.ok = False

    @property
    def line(self) -> int:
        return line_of(self.node)

    def __contains__(self, name: str) -> bool:
        """Whether the field was written (with a right or wrong value)."""
        return name in self.nodes

    def get(self, name: str, default: Any = None) -> Any:
        """The field's value; `default` when it is absent or null. A name not declared is a bug here."""
        if name not in self.record.fields:
            raise KeyError(f'field "{name}" is not declared in this entry\'s shape')
        self.record.read_names.add(name)
        value = self.values.get(name)
        return default if value is None else value

    def where_of(self, name: str) -> str:
        """Where a field's messages are told: 'study "x", field "size"' (or '"studies"' at the top)."""
        if self.record.fields[name].bare:
            return self.where
        return f'{self.where}, field "{name}"' if self.where else f'"{name}"'

    def items(self, name: str) -> Iterator[tuple[Any, yaml.Node]]:
        """(value, node) for each item of a list field (nothing when absent, null or not a list)."""
        node, values = self.nodes.get(name), self.get(name)
        if isinstance(node, yaml.SequenceNode) and values is not None:
            yield from zip(values, node.value)
