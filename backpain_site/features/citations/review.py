"""Who wrote and reviewed each page, and when: its front-matter fields, checked.

Every page's front matter holds

    authors: [Running and low back pain editorial team]
    reviewers: [Running and low back pain editorial team]
    published: 2026-11-29
    last_reviewed: 2026-11-29
    next_review: 2027-11-29

Plain functions used by the build (backpain_site/features/trust/stamps.py) and the editor's check
(`python -m backpain_site.features.citations check`), so both give the same messages. A missing or invalid field is an
error (`file:line: front matter field "x": problem`); a page whose next_review has passed is
overdue: a warning in the build, an error in the check.

"Today" is the one clock's (backpain_site/kernel/clock.py: the machine's date, unless
SITE_TODAY=YYYY-MM-DD fixes it); dates are written by its one formatter, `long_date`.

MkDocs reads dates itself and silently drops the whole front matter (title included) when one is
impossible (2026-02-30), so the fields are read here from the file, with dates kept as text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from backpain_site.kernel.clock import long_date, month_text, parse_date as _date

NAME_FIELDS = ("authors", "reviewers")
DATE_FIELDS = ("published", "last_reviewed", "next_review")
FIELDS = NAME_FIELDS + DATE_FIELDS
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


class _TextDates(yaml.SafeLoader):
    """YAML as MkDocs reads it, except that dates stay text, so a bad one can be named."""


class _FastTextDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same through libyaml when PyYAML has it (front matter is read for every page, every build)."""


_TextDates.yaml_implicit_resolvers = _FastTextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front_matter_node(body: str, loader_class):
    loader = loader_class(body)
    try:
        node = loader.get_single_node()  # parsed once: the node has the lines, the data is built from it
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Problem:
    line: int
    field: str | None
    problem: str

    def located(self, shown: str) -> str:
        """Same wording as backpain_site/kernel/front_matter.py `located` (a whole-front-matter problem has no field)."""
        where = f'front matter field "{self.field}"' if self.field else "front matter"
        return f"{shown}:{self.line}: {where}: {self.problem}"


def names(people) -> str:
    """'A', 'A and B', 'A, B and C'."""
    people = list(people)
    if len(people) < 2:
        return "".join(people)
    return ", ".join(people[:-1]) + " and " + people[-1]


def read_front_matter(text: str) -> tuple[dict, dict[str, int], Problem | None]:
    """(fields, line of each top-level field, problem) of a page's leading YAML front matter."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, {}, None
    body = match.group(1) or ""
    try:
        try:
            node, data = _front_matter_node(body, _FastTextDates)
        except yaml.YAMLError:  # libyaml refused it: the pure-Python parser says why more clearly
            node, data = _front_matter_node(body, _TextDates)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else 1
        context = ""
        if error.context and error.context_mark:
            context = f"{error.context} that starts on line {error.context_mark.line + 2}, "
        return {}, {}, Problem(line, None, f"not valid YAML: {context}{error.problem}")
    except yaml.YAMLError as error:
        return {}, {}, Problem(1, None, f"not valid YAML: {error}")
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, {}, None
    lines = {key.value: key.start_mark.line + 2 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return data, lines, None


def problems(meta: dict, lines: dict[str, int]) -> list[Problem]:
    """Every missing or invalid field, in field order."""
    found = []

    def add(name: str, problem: str) -> None:
        found.append(Problem(lines.get(name, 1), name, problem))

    for name in NAME_FIELDS:
        value = meta.get(name)
        if value is None:
            add(name, f"missing: add {name}: [Name] (people or a team, e.g. the editorial team)")
        elif not (isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)):
            add(name, f"must be a list of names, e.g. {name}: [Running and low back pain editorial team], not {value!r}")
    dates = {}
    for name in DATE_FIELDS:
        if name not in meta:
            add(name, f"missing: add {name}: YYYY-MM-DD")
            continue
        dates[name], why = _date(meta[name])
        if why:
            add(name, why)
    published, reviewed, due = (dates.get(name) for name in DATE_FIELDS)
    if published and reviewed and reviewed < published:
        add("last_reviewed", f"{reviewed} is before the page was published ({published})")
    if reviewed and due and due <= reviewed:
        add("next_review", f"{due} is not after last_reviewed ({reviewed})")
    return found


def overdue(meta: dict, lines: dict[str, int], today: dt.date) -> Problem | None:
    """The overdue notice when next_review is a valid date before today."""
    due, why = _date(meta.get("next_review"))
    if due is None or due >= today:
        return None
    return Problem(lines.get("next_review", 1), "next_review",
                   f"review overdue since {long_date(due)}: review the page, then update last_reviewed and next_review")


@dataclass
class PageReview:
    shown: str
    errors: list[str]
    overdue: str | None


def review_page(path: Path, shown: str, today: dt.date) -> PageReview:
    """Check one Markdown page's authorship and review fields."""
    meta, lines, bad_yaml = read_front_matter(path.read_text(encoding="utf-8"))
    if bad_yaml:
        return PageReview(shown, [bad_yaml.located(shown)], None)
    errors = [p.located(shown) for p in problems(meta, lines)]
    late = None if errors else overdue(meta, lines, today)
    return PageReview(shown, errors, late.located(shown) if late else None)


def review_pages(docs_dir: Path, root: Path, today: dt.date) -> list[PageReview]:
    """Every Markdown page under docs_dir, in path order, named relative to the project root."""
    reviews = []
    for path in sorted(docs_dir.rglob("*.md")):
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        reviews.append(review_page(path, shown, today))
    return reviews


# "Sources last checked: <month year>" on evidence pages ------------------------------------------
# ("Evidence checked up to" needs a screened search: data/searches.yml, trust/searches.py.)
# An evidence page's front matter says the month its sources were last checked:
#     evidence_checked: 2026-11
# Missing on an evidence page, not written YYYY-MM, after the month of last_reviewed (a review
# cannot predate the check it reports) or in the future: a located error, like the dates above.
# Which pages are evidence pages is set in mkdocs.yml (extra.evidence_pages, glob patterns).

EVIDENCE_FIELD = "evidence_checked"
ISO_MONTH = re.compile(r"\d{4}-\d{2}")


def evidence_month(value) -> tuple[tuple[int, int] | None, str | None]:
    """((year, month), None) or (None, why it is not a YYYY-MM month)."""
    text = value.strip() if isinstance(value, str) else None
    if text is None or not ISO_MONTH.fullmatch(text):
        return None, f"{value!r} is not a month written YYYY-MM (e.g. 2026-11)"
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12:
        return None, f"{text} is not a real month (month {month})"
    return (year, month), None


def evidence_problems(meta: dict, lines: dict[str, int], today: dt.date, required: bool) -> list[Problem]:
    """Problems with a page's evidence_checked field (required: the page is an evidence page)."""
    if EVIDENCE_FIELD not in meta:
        if not required:
            return []
        return [Problem(1, EVIDENCE_FIELD, "missing on an evidence page: add evidence_checked: YYYY-MM "
                                           "(the month its sources were last checked)")]
    line = lines.get(EVIDENCE_FIELD, 1)
    month, why = evidence_month(meta[EVIDENCE_FIELD])
    if why:
        return [Problem(line, EVIDENCE_FIELD, why)]
    shown = f"{month[0]:04d}-{month[1]:02d}"
    if month > (today.year, today.month):
        return [Problem(line, EVIDENCE_FIELD, f"{shown} is in the future: give the month the evidence was last checked")]
    reviewed, _ = _date(meta.get("last_reviewed"))
    if reviewed and month > (reviewed.year, reviewed.month):
        return [Problem(line, EVIDENCE_FIELD, f"{shown} is after last_reviewed ({reviewed}): "
                                              "review the page when its evidence has been checked, then move last_reviewed on")]
    return []


def evidence_errors(docs_dir: Path, root: Path, today: dt.date, evidence_pages: list[str]) -> list[str]:
    """Every located evidence_checked problem under docs_dir (pages matching evidence_pages must have one)."""
    errors = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir)
        required = any(rel.match(pattern) and len(rel.parts) == len(Path(pattern).parts) for pattern in evidence_pages)
        meta, lines, bad_yaml = read_front_matter(path.read_text(encoding="utf-8"))
        if bad_yaml:
            continue  # review_pages reports it
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        errors += [p.located(shown) for p in evidence_problems(meta, lines, today, required)]
    return errors


def evidence_stamp(meta: dict) -> dict | None:
    """{'iso': '2026-11', 'text': 'November 2026'} for the page, or None when it has no valid field."""
    month, why = evidence_month(meta.get(EVIDENCE_FIELD)) if EVIDENCE_FIELD in meta else (None, "absent")
    if why:
        return None
    return {"iso": f"{month[0]:04d}-{month[1]:02d}", "text": month_text(month)}
