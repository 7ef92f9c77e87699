"""The evidence watch's record: data/searches.yml, one saved PubMed search per evidence page.

    - page: run-walk-trial.md
      query: '(running[tiab] OR jogging[tiab]) AND "low back pain"[tiab]'   # the E-utilities esearch term
      start: 2026-11-01      # optional: records added to PubMed (Entrez date) from this day are watched;
                             # without it, everything PubMed holds
      runs:                  # each search run, added by the editor after screening it
        - run: 2027-01-10    # the day it was run
          from: 2026-11-01   # the Entrez dates it covered, from ...
          to: 2027-01-10     # ... to (inclusive)
          count: 2           # how many records it found (every one is listed below)
          records:
            - pmid: "40000001"
              title: The record's title
              decision: included            # included | excluded
            - pmid: "40000002"
              title: Another title
              decision: excluded
              reason: not about back pain   # required when excluded

A page says "Evidence checked up to <month year>" only as far as its screened runs reach (`reach`):
runs with every record decided, covering the dates from `start` on without a gap. Until then it
says when its sources were last checked (front matter evidence_checked) and that no search for newer
studies has been run. The shape is declared once (SEARCH, RUN, RECORD) and checked by the kernel's walker
(backpain_site/kernel/schema.py), so every problem is located (file:line); `parse` never
raises. `make evidence-watch` (evidence_watch.py) runs the saved queries for what is new.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from backpain_site.kernel import schema
from backpain_site.kernel.clock import long_date, parse_date
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.schema import Count, Entry, Field, ListOf, OneOf, Reader, Text, numbered, optional, read_file
from backpain_site.kernel.yaml_nodes import line_of

DATA_FILE = "data/searches.yml"
DECISIONS = ("included", "excluded")
SEARCH_FIELDS = ("page", "query", "start", "runs")
RUN_FIELDS = ("run", "from", "to", "count", "records")
RECORD_FIELDS = ("pmid", "title", "decision", "reason")
PMID = re.compile(r"[1-9][0-9]{0,9}\Z")
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
# PubMed's first Entrez dates are in the 1940s and 1950s: a search with no start covers everything.
BEGINNING = dt.date(1800, 1, 1)


@dataclass(frozen=True)
class Record:
    pmid: str
    title: str
    decision: str | None  # None: not screened yet
    reason: str | None = None


@dataclass(frozen=True)
class Run:
    run: dt.date
    start: dt.date  # the `from` date
    end: dt.date  # the `to` date
    count: int
    records: tuple[Record, ...] = ()

    @property
    def screened(self) -> bool:
        return len(self.records) == self.count and all(r.decision for r in self.records)


@dataclass(frozen=True)
class Search:
    page: str
    query: str
    start: dt.date | None = None
    runs: tuple[Run, ...] = ()
    line: int = 0

    @property
    def anchor(self) -> str:
        """The id of its record on How we make this site: search-mechanisms-discs."""
        return "search-" + re.sub(r"[^a-z0-9]+", "-", self.page.removesuffix(".md").lower()).strip("-")

    def next_from(self) -> dt.date:
        """Where the next run starts: the day after the last run's `to`, else `start` (or the beginning)."""
        if self.runs:
            return max(run.end for run in self.runs) + dt.timedelta(days=1)
        return self.start or BEGINNING


def reach(search: Search) -> dt.date | None:
    """The last day the screened runs cover without a gap from `start`; None when no screened run does."""
    covered = (search.start or BEGINNING) - dt.timedelta(days=1)
    reached = None
    for run in sorted(search.runs, key=lambda r: r.start):
        if not run.screened or run.start > covered + dt.timedelta(days=1):
            break
        if run.end > covered:
            covered = reached = run.end
    return reached


DATE = Text(scalars=True)  # 2026-11-01, checked by parse_date after the shape
WORDS = Text(scalars=True)  # a title or query may be a bare number
RECORD = schema.Record(
    {
        "pmid": Field(Text(scalars=True, pattern=PMID, wrong='"{}" is not a PubMed id (digits)')),
        "title": Field(WORDS),
        "decision": optional(OneOf(DECISIONS, "decision")),
        "reason": optional(WORDS),
    },
    label=numbered("record", in_entry=True),
    hint=", ".join(RECORD_FIELDS),
)
RUN = schema.Record(
    {
        "run": Field(DATE),
        "from": Field(DATE),
        "to": Field(DATE),
        "count": Field(Count("must be a whole number of records", least=0)),
        "records": optional(ListOf(RECORD, "must be a list of records")),
    },
    label=numbered("run", in_entry=True),
    hint=", ".join(RUN_FIELDS),
)
SEARCH = schema.Record(
    {
        "page": Field(Text()),
        "query": Field(WORDS),
        "start": optional(DATE),
        "runs": optional(ListOf(RUN, "must be a list of runs (or [] before the first)")),
    },
    label=numbered("search"),
    hint=", ".join(SEARCH_FIELDS),
)
SEARCHES = ListOf(SEARCH, 'must be a list of searches (each starting with "- page:")')


def parse(text: str, file: str, pages: set[str], today: dt.date) -> tuple[list[Search], list[Problem]]:
    """The saved searches and every problem with them (a bad entry is a problem, never dropped silently)."""
    reader, entries = read_file(text, file, SEARCHES)
    searches: list[Search] = []
    seen: dict[str, int] = {}
    for entry in entries or []:
        search = _search(entry, reader, pages, today, seen) if entry else None
        if search is not None:
            seen[search.page] = line_of(entry.nodes["page"])
            searches.append(search)
    return searches, reader.problems


def _date(entry: Entry, name: str, reader: Reader, today: dt.date) -> dt.date | None:
    """A field's date: written YYYY-MM-DD, real, and not after today."""
    raw = entry.get(name)
    if raw is None:
        return None
    day, why = parse_date(raw)
    if day is None or day > today:
        reader.problem(entry.nodes[name], entry.where_of(name), why or f"{raw} is in the future (today is {today})")
        return None
    return day


def _search(entry: Entry, reader: Reader, pages: set[str], today: dt.date, seen: dict[str, int]) -> Search | None:
    """The checks after the shape: a page under docs/ with one search, real dates in order, a count
    that matches the records listed, a reason for each exclusion."""
    ok = entry.ok
    page = entry.get("page")
    if page is not None and page not in pages:
        reader.problem(entry.nodes["page"], entry.where_of("page"), f'no page "{page}" under docs/')
        ok = False
    elif page in seen:
        message = f"{page} already has a search (line {seen[page]}): one per page"
        reader.problem(entry.nodes["page"], entry.where_of("page"), message)
        ok = False
    start = _date(entry, "start", reader, today)
    ok = ok and ("start" not in entry or start is not None)
    runs = [_run(run, reader, today) if run else None for run in entry.get("runs", [])]
    read = [run for run in runs if run is not None]
    if not ok or len(read) != len(runs):
        return None
    return Search(page, entry.get("query"), start, tuple(read), entry.line)


def _run(entry: Entry, reader: Reader, today: dt.date) -> Run | None:
    ok = entry.ok
    run, start, end = (_date(entry, name, reader, today) for name in ("run", "from", "to"))
    if run is not None and start is not None and end is not None and not start <= end <= run:
        message = f"the dates must run from <= to <= run (from {start}, to {end}, run {run})"
        reader.problem(entry.nodes["to"], entry.where, message)
        ok = False
    records = []
    for record in entry.get("records", []):
        if record is None:
            continue
        decision = record.get("decision")
        if decision == "excluded" and "reason" not in record:
            message = "excluded without a reason: add reason: (why it does not change the page)"
            reader.problem(record.node, record.where, message)
            ok = False
        elif record.ok:
            records.append(Record(record.get("pmid"), record.get("title"), decision, record.get("reason")))
    count = entry.get("count")
    if not ok or run is None or start is None or end is None or count is None:
        return None
    if len(records) != count:
        message = f"{count} records found but {len(records)} listed: list every record the run found"
        reader.problem(entry.nodes["count"], entry.where_of("count"), message)
        return None
    return Run(run, start, end, count, tuple(records))


def missing_pages(searches: list[Search], evidence_pages: list[str], file: str) -> list[Problem]:
    """An evidence page without a saved search (the watch would never look for newer studies for it)."""
    have = {s.page for s in searches}
    return [
        Problem(file, 0, f"{page} is an evidence page but has no saved search: add one (page, query)")
        for page in evidence_pages
        if page not in have
    ]


# The record on How we make this site (`<!-- evidence-searches -->`) ---------------------------------


def _cell(text: str) -> str:
    return re.sub(r"([\\`*_\[\]|<>])", r"\\\1", text)


def records_markdown(searches: list[Search], titles: dict[str, str], link) -> str:
    """Each page's saved search: its query, then each run (dates, count, every record and decision),
    or that it has not been run yet. link(page) is a Markdown link target for the page."""
    if not searches:
        return "No searches have been saved yet."
    out = []
    for search in sorted(searches, key=lambda s: s.page):
        title = titles.get(search.page, search.page)
        # A block with an id, not a heading: every heading id is written in a page's Markdown
        # (tests/site_wide/test_headings.py), and pages link here as "#search-<page>".
        out.append(f'<div class="evidence-search" id="{search.anchor}" markdown="block">\n')
        out.append(f"**[{_cell(title)}]({link(search.page)})**. Saved PubMed search:\n")
        out.append(f"```text\n{search.query}\n```\n")
        if not search.runs:
            out.append("**Not run yet.** No search for newer studies has been run for this page.\n\n</div>\n")
            continue
        reached = reach(search)
        for run in sorted(search.runs, key=lambda r: r.run):
            state = "screened" if run.screened else "not yet screened"
            out.append(
                f"- Run on {long_date(run.run)}, for records added to PubMed from {long_date(run.start)} "
                f"to {long_date(run.end)}: {run.count} record{'s' if run.count != 1 else ''}, {state}."
            )
        out.append("")
        if reached:
            out.append(f"Checked up to {long_date(reached)}.\n")
        records = [r for run in search.runs for r in run.records]
        if records:
            out.append("| PubMed record | Decision |\n|---|---|")
            for record in records:
                decision = {
                    "included": "Included",
                    "excluded": f"Excluded: {_cell(record.reason or '')}",
                    None: "Not screened yet",
                }[record.decision]
                out.append(f"| [{_cell(record.title)}]({PUBMED}{record.pmid}/) | {decision} |")
            out.append("")
        out.append("</div>\n")
    return "\n".join(out)
