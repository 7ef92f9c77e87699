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
impossible (2026-02-30), so the fields are read by the kernel's front-matter reader
(backpain_site/kernel/front_matter.py), with dates kept as text; a build hands over the pages it has
read once (build.project).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from backpain_site.kernel import front_matter
from backpain_site.kernel.clock import long_date, month_text
from backpain_site.kernel.clock import parse_date as _date
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.project import Source, read_sources
from backpain_site.kernel.roles import HELP_PAGE

NAME_FIELDS = ("authors", "reviewers")
DATE_FIELDS = ("published", "last_reviewed", "next_review")
FIELDS = NAME_FIELDS + DATE_FIELDS


def names(people) -> str:
    """'A', 'A and B', 'A, B and C'."""
    people = list(people)
    if len(people) < 2:
        return "".join(people)
    return ", ".join(people[:-1]) + " and " + people[-1]


def read_front_matter(text: str, file: str = "") -> tuple[dict, dict[str, int], Problem | None]:
    """(fields, line of each top-level field, problem) of a page's leading YAML front matter."""
    front = front_matter.read(text, file)
    return front.fields, front.lines, front.problem


def outside_reviewers(authors, reviewers) -> list[str]:
    """The reviewers who are not among the authors: a team that checks its own page has not had it
    reviewed, so only these count as a review (the page stamp and JSON-LD `reviewedBy` name no other)."""
    authors = set(authors or [])
    return [name for name in (reviewers or []) if name not in authors]


# How long a page may go between reviews, in months: About and How we make this site promise "at
# least once a year", and every six months for When to get help (it holds the warning signs).
REVIEW_MONTHS = 12
REVIEW_MONTHS_BY_PAGE = {HELP_PAGE: 6}


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def problems(meta: dict, lines: dict[str, int], file: str = "", months: int = REVIEW_MONTHS) -> list[Problem]:
    """Every missing or invalid field, in field order. `months`: the longest time allowed between
    last_reviewed and next_review."""
    found = []

    def add(name: str, problem: str) -> None:
        found.append(Problem.front_matter(file, lines.get(name, 1), name, problem))

    for name in NAME_FIELDS:
        value = meta.get(name)
        if value is None:
            add(name, f"missing: add {name}: [Name] (people or a team, e.g. the editorial team)")
        elif not (isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)):
            add(
                name, f"must be a list of names, e.g. {name}: [Running and low back pain editorial team], not {value!r}"
            )
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
    elif reviewed and due and due > months_later(reviewed, months) and not (published and reviewed < published):
        add(
            "next_review",
            f"{due} is more than {months} months after last_reviewed ({reviewed}): the site "
            f"promises a review of this page at least every {months} months; "
            f"set it to {months_later(reviewed, months)} or earlier",
        )
    return found


def overdue(meta: dict, lines: dict[str, int], today: dt.date, file: str = "") -> Problem | None:
    """The overdue notice when next_review is a valid date before today."""
    due, _ = _date(meta.get("next_review"))
    if due is None or due >= today:
        return None
    return Problem.front_matter(
        file,
        lines.get("next_review", 1),
        "next_review",
        f"review overdue since {long_date(due)}: review the page, then update last_reviewed and next_review",
        severity="warning",
    )


@dataclass
class PageReview:
    shown: str
    errors: list[str]
    overdue: str | None


def review_front(front: front_matter.FrontMatter, shown: str, today: dt.date) -> PageReview:
    """Check one Markdown page's authorship and review fields."""
    if front.problem:
        return PageReview(shown, [str(front.problem)], None)
    months = REVIEW_MONTHS_BY_PAGE.get(Path(shown).name, REVIEW_MONTHS)
    errors = [str(p) for p in problems(front.fields, front.lines, shown, months)]
    late = None if errors else overdue(front.fields, front.lines, today, shown)
    return PageReview(shown, errors, str(late) if late else None)


def review_page(path: Path, shown: str, today: dt.date) -> PageReview:
    """Check one Markdown file (read here: the editor's tools and tests)."""
    return review_front(front_matter.read(path.read_text(encoding="utf-8"), shown), shown, today)


def review_pages(docs_dir: Path, root: Path, today: dt.date, sources: list[Source] | None = None) -> list[PageReview]:
    """Every Markdown page under docs_dir, in path order, named relative to the project root
    (`sources`: the pages as a build has read them)."""
    if sources is None:
        sources = read_sources(docs_dir, root)
    return [
        PageReview(source.shown, [str(source.problem)], None)
        if source.problem
        else review_front(source.front_matter, source.shown, today)
        for source in sources
    ]


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


def evidence_problems(
    meta: dict, lines: dict[str, int], today: dt.date, required: bool, file: str = ""
) -> list[Problem]:
    """Problems with a page's evidence_checked field (required: the page is an evidence page)."""

    def problem(line: int, message: str) -> list[Problem]:
        return [Problem.front_matter(file, line, EVIDENCE_FIELD, message)]

    if EVIDENCE_FIELD not in meta:
        if not required:
            return []
        return problem(
            1, "missing on an evidence page: add evidence_checked: YYYY-MM (the month its sources were last checked)"
        )
    line = lines.get(EVIDENCE_FIELD, 1)
    month, why = evidence_month(meta[EVIDENCE_FIELD])
    if month is None:
        return problem(line, why or "not a month")
    shown = f"{month[0]:04d}-{month[1]:02d}"
    if month > (today.year, today.month):
        return problem(line, f"{shown} is in the future: give the month the evidence was last checked")
    reviewed, _ = _date(meta.get("last_reviewed"))
    if reviewed and month > (reviewed.year, reviewed.month):
        return problem(
            line,
            f"{shown} is after last_reviewed ({reviewed}): "
            "review the page when its evidence has been checked, then move last_reviewed on",
        )
    return []


def evidence_errors(
    docs_dir: Path, root: Path, today: dt.date, evidence_pages: list[str], sources: list[Source] | None = None
) -> list[str]:
    """Every located evidence_checked problem under docs_dir (pages matching evidence_pages must have
    one; `sources`: the pages as a build has read them)."""
    if sources is None:
        sources = read_sources(docs_dir, root)
    errors = []
    for source in sources:
        rel = Path(source.src_uri)
        required = any(rel.match(pattern) and len(rel.parts) == len(Path(pattern).parts) for pattern in evidence_pages)
        front = source.front_matter
        if source.problem or front.problem:
            continue  # review_pages reports it
        errors += [str(p) for p in evidence_problems(front.fields, front.lines, today, required, source.shown)]
    return errors


def evidence_stamp(meta: dict) -> dict | None:
    """{'iso': '2026-11', 'text': 'November 2026'} for the page, or None when it has no valid field."""
    month, why = evidence_month(meta.get(EVIDENCE_FIELD)) if EVIDENCE_FIELD in meta else (None, "absent")
    if month is None or why:
        return None
    return {"iso": f"{month[0]:04d}-{month[1]:02d}", "text": month_text(month)}
