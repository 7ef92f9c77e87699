"""The declared-shape layer (backpain_site/kernel/schema.py): one walker over PyYAML's node tree that
says, at the right line, what is wrong with a data file, in the project's wording."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from conftest import ROOT
from helpers import BIB_KEYS

from backpain_site.features.claims import ledger
from backpain_site.features.studies import data as studies
from backpain_site.features.trust import changes, searches
from backpain_site.kernel.schema import (
    Count,
    Decimal,
    Field,
    ListOf,
    OneOf,
    OrNull,
    Pair,
    Reader,
    Record,
    Text,
    numbered,
    optional,
)

ENTRY = Record(
    {
        "key": Field(Text()),
        "design": Field(OneOf(("cohort", "guideline"), "design")),
        "size": Field(OrNull(Record({"count": Field(Count('"count" must be a whole number above 0'), bare=True)}))),
        "duration": Field(Text(null="not reported")),
        "limits": Field(ListOf(Text())),
        "value": optional(Decimal()),
        "ci": optional(OrNull(Pair())),
    },
    label=lambda where, fields, index: f'study "{fields["key"].value}"' if "key" in fields else f"study #{index}",
)
FILE = Record({"studies": Field(ListOf(ENTRY))})

GOOD = """\
studies:
  - key: a
    design: cohort
    size: {count: 40}
    duration: null
    limits: []
    value: -15.30
    ci: [-25.33, -5.27]
"""


def check(text: str):
    reader = Reader("data/x.yml")
    top = reader.check(FILE, yaml.compose(text))
    return top, [str(p) for p in reader.problems]


def changed(old: str, new: str) -> list[str]:
    assert old in GOOD
    return check(GOOD.replace(old, new))[1]


def test_a_good_entry_reads_with_numbers_as_typed_and_no_problem():
    top, problems = check(GOOD)
    assert problems == []
    (entry,) = top.get("studies")
    assert entry.ok and entry.line == 2
    assert entry.get("value") == "-15.30"  # not -15.3
    assert entry.get("ci") == ("-25.33", "-5.27")
    assert entry.get("size").get("count") == 40
    assert entry.get("duration") is None  # null, where null is allowed


def test_an_unknown_field_is_named_at_its_line_with_the_nearest_known_one():
    assert changed("    limits: []", "    limit: []") == [
        'data/x.yml:6: study "a": unknown field "limit"; did you mean "limits"?',
        'data/x.yml:2: study "a": missing field "limits"',
    ]


def test_an_unknown_field_with_no_near_name_lists_the_known_ones():
    assert changed("    limits: []\n", "    limits: []\n    colour: red\n") == [
        'data/x.yml:7: study "a": unknown field "colour" (known fields: key, design, size, duration, limits, value, ci)'
    ]


def test_a_missing_field_is_told_at_the_entry_s_first_line():
    assert changed("    design: cohort\n", "") == ['data/x.yml:2: study "a": missing field "design"']


def test_a_field_given_twice_is_told_at_the_second():
    assert changed("    limits: []\n", "    limits: []\n    design: cohort\n") == [
        'data/x.yml:7: study "a": field "design" appears twice'
    ]


def test_a_value_of_the_wrong_type_is_told_at_its_line():
    assert changed("duration: null", "duration: [3, weeks]") == [
        'data/x.yml:5: study "a", field "duration": must be text or null (not reported)'
    ]
    assert changed("design: cohort", "design: 12") == ['data/x.yml:3: study "a", field "design": must be text']
    assert changed("limits: []", "limits: none") == [
        'data/x.yml:6: study "a", field "limits": must be a list (lines starting with "- ")'
    ]
    assert changed("size: {count: 40}", "size: {count: many}") == [
        'data/x.yml:4: study "a", field "size": "count" must be a whole number above 0, not "many"'
    ]


def test_a_number_must_be_written_as_one():
    assert changed("value: -15.30", 'value: "-15.30"') == [
        'data/x.yml:7: study "a", field "value": must be a number, not "-15.30"'
    ]
    assert changed("value: -15.30", "value: about 15") == [
        'data/x.yml:7: study "a", field "value": must be a number, not "about 15"'
    ]
    assert changed("ci: [-25.33, -5.27]", "ci: [-5.27, -25.33]") == [
        'data/x.yml:8: study "a", field "ci": low (-5.27) is above high (-25.33)'
    ]


def test_a_word_outside_the_allowed_ones_lists_them():
    assert changed("design: cohort", "design: RCT") == [
        'data/x.yml:3: study "a", field "design": unknown design "RCT"; use one of: "cohort", "guideline"'
    ]


def test_null_only_where_the_shape_allows_it():
    assert changed("design: cohort", "design: null") == ['data/x.yml:3: study "a", field "design": must not be empty']
    assert changed("design: cohort", "design:") == ['data/x.yml:3: study "a", field "design": must not be empty']
    assert changed("size: {count: 40}", "size: null") == []
    assert changed("ci: [-25.33, -5.27]", "ci: null") == []
    assert changed("size: {count: 40}", "size: {count: null}") == [
        'data/x.yml:4: study "a", field "size": "count" must be a whole number above 0, not "null"'
    ]


def test_lines_are_right_deep_in_the_file():
    text = GOOD + GOOD.replace("studies:\n", "").replace("key: a", "key: b").replace("value: -15.30", "value: x")
    assert check(text)[1] == ['data/x.yml:14: study "b", field "value": must be a number, not "x"']


def test_an_entry_with_a_problem_is_not_ok_and_a_good_one_is():
    top, _ = check(
        GOOD + GOOD.replace("studies:\n", "").replace("key: a", "key: b").replace("design: cohort", "design: x")
    )
    assert [e.ok for e in top.get("studies")] == [True, False]


def test_a_field_not_declared_cannot_be_read():
    top, _ = check(GOOD)
    with pytest.raises(KeyError, match="not declared"):
        top.get("studies")[0].get("colour")


def test_entries_in_nested_lists_are_named_by_their_place():
    record = Record({"pmid": Field(Text())}, label=numbered("record", in_entry=True), hint="pmid")
    run = Record({"records": Field(ListOf(record, "must be a list of records"))}, label=numbered("run", in_entry=True))
    runs = ListOf(Record({"runs": Field(ListOf(run))}, label=numbered("search")), "must be a list of searches")
    reader = Reader("data/x.yml")
    reader.check(runs, yaml.compose("- runs:\n  - records: [{pmid: ''}, 7]\n  - records: x\n"))
    assert [str(p) for p in reader.problems] == [
        'data/x.yml:2: search #1, run #1, record #1, field "pmid": must not be empty',
        "data/x.yml:2: search #1, run #1, record #2: must be a set of fields (pmid)",
        'data/x.yml:3: search #1, run #2, field "records": must be a list of records',
    ]
    reader = Reader("data/x.yml")
    reader.check(runs, yaml.compose("runs: []\n"))
    assert [str(p) for p in reader.problems] == ["data/x.yml:1: must be a list of searches"]


TODAY = dt.date(2026, 12, 31)
PAGES = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")} | {"evidence.md"}
SEARCH_FIXTURE = ROOT / "tests" / "fixtures" / "trust" / "base" / "data" / "searches.yml"
READERS = {
    "studies": (studies, lambda: studies.parse(_read("data/studies.yml"), "data/studies.yml", BIB_KEYS)),
    "claims": (ledger, lambda: ledger.parse(_read("data/claims.yml"), "data/claims.yml", BIB_KEYS, PAGES)),
    "changes": (changes, lambda: changes.parse(_read("data/changes.yml"), "data/changes.yml", PAGES, BIB_KEYS, TODAY)),
    # The real file has no run yet: the fixture's runs and records use every field.
    "searches": (searches, lambda: searches.parse(SEARCH_FIXTURE.read_text(encoding="utf-8"), "x", PAGES, TODAY)),
}


def _read(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", READERS)
def test_every_field_a_data_file_declares_is_read_by_its_code(name):
    """A field declared but never read would be accepted and silently dropped."""
    module, parse = READERS[name]
    shapes = {key: value for key, value in vars(module).items() if isinstance(value, Record)}
    for shape in shapes.values():
        shape.read_names.clear()
    found, problems = parse()
    assert problems == [] and found
    unread = {key: sorted(set(shape.fields) - shape.read_names) for key, shape in shapes.items()}
    assert not any(unread.values()), f"declared in {name}'s shape but never read: {unread}"


def test_a_bare_number_reads_as_text_where_the_shape_says_so():
    """A claim "40" or the pattern 111 (NHS 111) typed without quotes is still a claim and a pattern."""
    text = "claims:\n  - page: a.md\n    claim: 40\n    cites: [k]\n    evidence: EVIDENCE.md [1]\n"
    found, problems = ledger.parse(
        text + "not_claims:\n  - pattern: 111\n    reason: 2\n", "data/claims.yml", {"k"}, {"a.md"}
    )
    assert problems == []
    assert [c.claim for c in found.claims] == ["40"] and found.patterns()[0].pattern == "111"
