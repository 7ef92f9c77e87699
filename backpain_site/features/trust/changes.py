"""Read data/changes.yml with line numbers and say exactly what is wrong and where.

The file is a list of dated entries, one per change a reader should know about:

    - date: 2026-12-02            # YYYY-MM-DD, not in the future
      page: when-to-get-help.md   # a page under docs/
      section: emergency          # optional: the id of a section on that page
      kind: update                # correction | update | new
      text: One plain sentence saying what changed.
      cite: nhsndbackpain         # optional: the key of the work behind the change

Its shape is declared once (CHANGE, below) and checked by the kernel's one walker over PyYAML's node
tree (backpain_site/kernel/schema.py), so every problem names its line; the checks that are not shape
(a real date, a page that exists, a key in references.bib) follow as plain code. `parse()` never raises: it returns the entries it could read and a list of Problems
("data/changes.yml:12: change #3, field "kind": unknown kind "fix"; use one of: ...").
Whether a section id exists on its page is only known once the pages are built:
`section_problems()` checks that against the ids the build found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace

from backpain_site.kernel.clock import long_date
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.schema import Entry, Field, ListOf, OneOf, Reader, Record, Text, numbered, optional, read_file
from backpain_site.kernel.yaml_nodes import line_of

DATA_FILE = "data/changes.yml"
KINDS = {"correction": "Correction", "update": "Update", "new": "New"}
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


CHANGE = Record(
    {
        "date": Field(Text(scalars=True, message="must be a date written YYYY-MM-DD (e.g. 2026-12-02)")),
        "page": Field(Text()),
        "kind": Field(OneOf(tuple(KINDS), "kind")),
        "text": Field(Text()),
        "section": optional(Text()),
        "cite": optional(Text()),
    },
    label=numbered("change"),
    hint="date, page, kind, text; section and cite optional",
)
CHANGES = ListOf(CHANGE, 'must be a list of changes (each starting with "- date:")')


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
    reader, entries = read_file(text, file, CHANGES)
    changes = []
    for entry in entries or []:
        change = _change(entry, reader, pages, bib_keys, today, published or {}) if entry else None
        if change is not None:
            changes.append(change)
    return assign_ids(changes), reader.problems


def _change(entry: Entry, reader: Reader, pages, bib_keys, today, published) -> Change | None:
    """The checks after the shape: a real date, not in the future nor before the page was published;
    a page under docs/; a key in references.bib."""
    ok = entry.ok
    day = None
    raw = entry.get("date")
    date_where = entry.where_of("date")
    if raw is not None:
        if not ISO_DATE.match(raw):
            reader.problem(
                entry.nodes["date"], date_where, f'"{raw}" is not a date written YYYY-MM-DD (e.g. 2026-12-02)'
            )
        else:
            try:
                day = dt.date.fromisoformat(raw)
            except ValueError as error:
                reader.problem(entry.nodes["date"], date_where, f"{raw} is not a real date ({error})")
            else:
                if day > today:
                    message = f"{raw} is in the future: date a change on the day it is published"
                    reader.problem(entry.nodes["date"], date_where, message)
                    day = None
    page = entry.get("page")
    if page is not None and page not in pages:
        reader.problem(
            entry.nodes["page"], entry.where_of("page"), f'no page "{page}" under docs/{_close(page, pages)}'
        )
        page = None
    born = published.get(page)
    if day is not None and born is not None and day < born:
        reader.problem(
            entry.nodes["date"],
            date_where,
            f"{day.isoformat()} is before {page} was published ({born.isoformat()}): a page cannot change before it exists",
        )
        day = None
    section = entry.get("section")
    cite = entry.get("cite")
    if cite is not None:
        cite = cite.removeprefix("@")
        if cite not in bib_keys:
            reader.problem(
                entry.nodes["cite"],
                entry.where_of("cite"),
                f'no entry "{cite}" in references.bib{_close(cite, bib_keys)}',
            )
            ok = False
    if not ok or day is None or page is None:
        return None
    return Change(
        date=day,
        page=page,
        kind=entry.get("kind"),
        text=entry.get("text"),
        section=section.removeprefix("#") if section else None,
        cite=cite,
        line=entry.line,
        section_line=line_of(entry.nodes["section"]) if "section" in entry else 0,
    )


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
