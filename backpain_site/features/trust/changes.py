"""Read data/changes.yml with line numbers and say exactly what is wrong and where.

The file is a list of dated entries, one per change a reader should know about:

    - date: 2026-12-02            # YYYY-MM-DD, not in the future
      page: when-to-get-help.md   # a page under docs/
      section: emergency          # optional: the id of a section on that page
      kind: update                # correction | update | new
      text: One plain sentence saying what changed.
      cite: nhsndbackpain         # optional: the key of the work behind the change

Like backpain_site/features/studies/data.py it is read from PyYAML's node tree, so every problem names its line, and
`parse()` never raises: it returns the entries it could read and a list of Problems
("data/changes.yml:12: change #3, field "kind": unknown kind "fix"; use one of: ...").
Whether a section id exists on its page is only known once the pages are built:
`section_problems()` checks that against the ids the build found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace

import yaml

from backpain_site.kernel.clock import long_date
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import line_of
from backpain_site.kernel.yaml_nodes import read as read_yaml

DATA_FILE = "data/changes.yml"
KINDS = {"correction": "Correction", "update": "Update", "new": "New"}
REQUIRED = ("date", "page", "kind", "text")
OPTIONAL = ("section", "cite")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass(frozen=True)
class Change:
    date: dt.date
    page: str  # source path under docs/, e.g. "mechanisms/discs.md"
    kind: str  # one of KINDS
    text: str  # one plain sentence
    section: str | None = None
    cite: str | None = None
    line: int = 0  # where the entry starts in the file
    section_line: int = 0
    id: str = ""  # stable anchor on the Changes page and Atom entry id (see assign_ids)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def date_text(self) -> str:
        return long_date(self.date)

    @property
    def target(self) -> str:
        """'page.md#section' or 'page.md'."""
        return f"{self.page}#{self.section}" if self.section else self.page


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def assign_ids(changes: list[Change]) -> list[Change]:
    """Each change's id: change-DATE-PAGE[-SECTION], with -2, -3 for a second and third entry on
    the same date and place (counted in file order, so adding entries elsewhere never renames one)."""
    seen: dict[str, int] = {}
    out = []
    for change in changes:
        base = "change-" + "-".join(
            filter(None, [change.date.isoformat(), _slug(change.page.removesuffix(".md")), change.section])
        )
        seen[base] = seen.get(base, 0) + 1
        out.append(replace(change, id=base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return out


def newest_first(changes: list[Change]) -> list[Change]:
    """By date, newest first; entries of one date keep their order in the file."""
    return sorted(changes, key=lambda c: c.date, reverse=True)


def _close(word: str, known) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def parse(
    text: str,
    file: str,
    pages: set[str],
    bib_keys: set[str],
    today: dt.date,
    published: dict[str, dt.date] | None = None,
) -> tuple[list[Change], list[Problem]]:
    """The entries and every problem with them (nothing is dropped silently: a bad entry is a problem).

    A change dated after today (the one clock), or before its page was published (`published`:
    page -> date), is impossible: a problem on the entry's date line."""
    problems: list[Problem] = []

    def problem(node_or_line, where: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else line_of(node_or_line)
        problems.append(Problem(file, line, f"{where}: {message}" if where else message))

    root, unreadable = read_yaml(text, file)
    if unreadable:
        return [], [unreadable]
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [Problem(file, line_of(root), 'must be a list of changes (each starting with "- date:")')]

    changes = []
    for index, node in enumerate(root.value, start=1):
        where = f"change #{index}"
        if not isinstance(node, yaml.MappingNode):
            problem(node, where, "must be a set of fields (date, page, kind, text; section and cite optional)")
            continue
        fields: dict[str, yaml.Node] = {}
        bad = False
        for key_node, value_node in node.value:
            name = key_node.value
            if name in fields:
                problem(key_node, where, f'field "{name}" appears twice')
                bad = True
            elif name not in REQUIRED and name not in OPTIONAL:
                hint = _close(name, REQUIRED + OPTIONAL) or f" (known fields: {', '.join(REQUIRED + OPTIONAL)})"
                problem(key_node, where, f'unknown field "{name}"{hint}')
                bad = True
            else:
                fields[name] = value_node
        for name in REQUIRED:
            if name not in fields:
                problem(node, where, f'missing field "{name}"')
                bad = True

        def text_of(name: str) -> str | None:
            value = fields.get(name)  # noqa: B023 - called only within this iteration
            if value is None:
                return None
            if isinstance(value, yaml.ScalarNode) and not value.tag.endswith(":null") and value.value.strip():
                return value.value.strip()
            problem(value, f'{where}, field "{name}"', "must be text, not empty")  # noqa: B023 - likewise
            return None

        day = None
        if "date" in fields:
            raw = text_of("date")
            if raw is not None:
                if not ISO_DATE.match(raw):
                    problem(
                        fields["date"],
                        f'{where}, field "date"',
                        f'"{raw}" is not a date written YYYY-MM-DD (e.g. 2026-12-02)',
                    )
                else:
                    try:
                        day = dt.date.fromisoformat(raw)
                    except ValueError as error:
                        problem(fields["date"], f'{where}, field "date"', f"{raw} is not a real date ({error})")
                    else:
                        if day > today:
                            problem(
                                fields["date"],
                                f'{where}, field "date"',
                                f"{raw} is in the future: date a change on the day it is published",
                            )
                            day = None
        page = text_of("page")
        if page is not None and page not in pages:
            problem(fields["page"], f'{where}, field "page"', f'no page "{page}" under docs/{_close(page, pages)}')
            page = None
        born = (published or {}).get(page) if page is not None else None
        if day is not None and born is not None and day < born:
            problem(
                fields["date"],
                f'{where}, field "date"',
                f"{day.isoformat()} is before {page} was published ({born.isoformat()}): a page cannot change before it exists",
            )
            day = None
        kind = text_of("kind")
        if kind is not None and kind not in KINDS:
            problem(
                fields["kind"],
                f'{where}, field "kind"',
                f'unknown kind "{kind}"; use one of: ' + ", ".join(f'"{k}"' for k in KINDS),
            )
            kind = None
        sentence = text_of("text")
        section = text_of("section") if "section" in fields else None
        if "section" in fields and section is not None and section.startswith("#"):
            section = section[1:]
        cite = text_of("cite") if "cite" in fields else None
        if cite is not None:
            cite = cite.removeprefix("@")
            if cite not in bib_keys:
                problem(
                    fields["cite"],
                    f'{where}, field "cite"',
                    f'no entry "{cite}" in references.bib{_close(cite, bib_keys)}',
                )
                cite = None
        if (
            not bad
            and day is not None
            and page is not None
            and kind is not None
            and sentence is not None
            and ("section" not in fields or section is not None)
            and ("cite" not in fields or cite is not None)
        ):
            changes.append(
                Change(
                    date=day,
                    page=page,
                    kind=kind,
                    text=sentence,
                    section=section,
                    cite=cite,
                    line=line_of(node),
                    section_line=line_of(fields["section"]) if "section" in fields else 0,
                )
            )
    return assign_ids(changes), problems


def section_problems(changes: list[Change], ids: dict[str, set[str]], file: str) -> list[Problem]:
    """A change whose section id is not an id on its built page (ids: page -> the ids of its headings).

    Run only on a file `parse` found no problem in, so entry N of `changes` is entry N of the file."""
    found = []
    for index, change in enumerate(changes, start=1):
        if change.section is None or change.page not in ids:  # a page not built this time: nothing to check against
            continue
        known = ids[change.page]
        if change.section not in known:
            found.append(
                Problem(
                    file,
                    change.section_line,
                    f'change #{index}, field "section": no section "{change.section}" '
                    f"on {change.page}{_close(change.section, known)}",
                )
            )
    return found


def latest_by_page(changes: list[Change]) -> dict[str, dt.date]:
    """{page: the date of its latest change}."""
    out: dict[str, dt.date] = {}
    for change in changes:
        out[change.page] = max(out.get(change.page, change.date), change.date)
    return out


def for_page(changes: list[Change], page: str, limit: int) -> list[Change]:
    """The page's latest `limit` changes, newest first."""
    return newest_first([c for c in changes if c.page == page])[:limit]
