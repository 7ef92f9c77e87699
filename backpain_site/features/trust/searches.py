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
studies has been run. Every problem is located (file:line), like data/changes.yml's; `parse` never
raises. `make evidence-watch` (evidence_watch.py) runs the saved queries for what is new.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from backpain_site.kernel.clock import long_date, parse_date
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import compose

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


def _line(node) -> int:
    return node.start_mark.line + 1


def parse(text: str, file: str, pages: set[str], today: dt.date) -> tuple[list[Search], list[Problem]]:
    """The saved searches and every problem with them (a bad entry is a problem, never dropped silently)."""
    problems: list[Problem] = []

    def problem(node, where: str, message: str) -> None:
        problems.append(Problem(file, _line(node), f"{where}: {message}"))

    try:
        root = compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return [], [Problem(file, mark.line + 1 if mark else 0, f"not valid YAML: {error.problem or error}")]
    except yaml.YAMLError as error:
        return [], [Problem(file, 0, f"not valid YAML: {error}")]
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [Problem(file, _line(root), 'must be a list of searches (each starting with "- page:")')]

    def mapping(node, where: str, known: tuple[str, ...], required: tuple[str, ...]) -> dict | None:
        if not isinstance(node, yaml.MappingNode):
            problem(node, where, f"must be a set of fields ({', '.join(known)})")
            return None
        fields, ok = {}, True
        for key, value in node.value:
            if key.value in fields:
                problem(key, where, f'field "{key.value}" appears twice')
                ok = False
            elif key.value not in known:
                problem(key, where, f'unknown field "{key.value}" (known fields: {", ".join(known)})')
                ok = False
            else:
                fields[key.value] = value
        for name in required:
            if name not in fields:
                problem(node, where, f'missing field "{name}"')
                ok = False
        return fields if ok else None

    def text_of(fields: dict, name: str, where: str) -> str | None:
        node = fields.get(name)
        if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null") and node.value.strip():
            return node.value.strip()
        problem(node, f'{where}, field "{name}"', "must be text, not empty")
        return None

    def date_of(fields: dict, name: str, where: str) -> dt.date | None:
        raw = text_of(fields, name, where)
        if raw is None:
            return None
        day, why = parse_date(raw)
        if day is None:
            problem(fields[name], f'{where}, field "{name}"', why or "not a date")
            return None
        if day > today:
            problem(fields[name], f'{where}, field "{name}"', f"{raw} is in the future (today is {today.isoformat()})")
            return None
        return day

    searches: list[Search] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(root.value, start=1):
        where = f"search #{index}"
        fields = mapping(node, where, SEARCH_FIELDS, ("page", "query"))
        if fields is None:
            continue
        page, query = text_of(fields, "page", where), text_of(fields, "query", where)
        ok = page is not None and query is not None
        if page is not None and page not in pages:
            problem(fields["page"], f'{where}, field "page"', f'no page "{page}" under docs/')
            ok = False
        elif page in seen:
            problem(
                fields["page"],
                f'{where}, field "page"',
                f"{page} already has a search (line {seen[page]}): one per page",
            )
            ok = False
        start = date_of(fields, "start", where) if "start" in fields else None
        ok = ok and ("start" not in fields or start is not None)
        runs = []
        runs_node = fields.get("runs")
        if runs_node is not None and not (isinstance(runs_node, yaml.ScalarNode) and runs_node.tag.endswith(":null")):
            if not isinstance(runs_node, yaml.SequenceNode):
                problem(runs_node, f'{where}, field "runs"', "must be a list of runs (or [] before the first)")
                ok = False
            else:
                for number, run_node in enumerate(runs_node.value, start=1):
                    run = _run(run_node, f"{where}, run #{number}", mapping, text_of, date_of, problem)
                    if run is None:
                        ok = False
                    else:
                        runs.append(run)
        if ok and page is not None and query is not None:
            seen[page] = _line(fields["page"])
            searches.append(Search(page, query, start, tuple(runs), _line(node)))
    return searches, problems


def _run(node, where, mapping, text_of, date_of, problem) -> Run | None:
    fields = mapping(node, where, RUN_FIELDS, ("run", "from", "to", "count"))
    if fields is None:
        return None
    run, start, end = (date_of(fields, name, where) for name in ("run", "from", "to"))
    ok = None not in (run, start, end)
    if ok and not start <= end <= run:
        problem(fields["to"], where, f"the dates must run from <= to <= run (from {start}, to {end}, run {run})")
        ok = False
    count_node = fields["count"]
    count = int(count_node.value) if isinstance(count_node, yaml.ScalarNode) and count_node.value.isdigit() else None
    if count is None:
        problem(count_node, f'{where}, field "count"', f"{count_node.value!r} is not a number of records")
        ok = False
    records = []
    records_node = fields.get("records")
    if records_node is not None and not isinstance(records_node, yaml.SequenceNode):
        problem(records_node, f'{where}, field "records"', "must be a list of records")
        return None
    for number, record_node in enumerate(records_node.value if records_node is not None else [], start=1):
        record_where = f"{where}, record #{number}"
        record = mapping(record_node, record_where, RECORD_FIELDS, ("pmid", "title"))
        if record is None:
            ok = False
            continue
        pmid, title = text_of(record, "pmid", record_where), text_of(record, "title", record_where)
        if pmid is not None and not PMID.match(pmid):
            problem(record["pmid"], f'{record_where}, field "pmid"', f'"{pmid}" is not a PubMed id (digits)')
            pmid = None
        decision = text_of(record, "decision", record_where) if "decision" in record else None
        if decision is not None and decision not in DECISIONS:
            problem(record["decision"], f'{record_where}, field "decision"', f'"{decision}": use included or excluded')
            decision = None
        reason = text_of(record, "reason", record_where) if "reason" in record else None
        if decision == "excluded" and reason is None and "reason" not in record:
            problem(
                record_node, record_where, "excluded without a reason: add reason: (why it does not change the page)"
            )
            decision = None
        if pmid is None or title is None:
            ok = False
            continue
        records.append(Record(pmid, title, decision, reason))
    if count is not None and len(records) != count and ok:
        problem(
            count_node,
            f'{where}, field "count"',
            f"{count} records found but {len(records)} listed: list every record the run found",
        )
        ok = False
    return Run(run, start, end, count, tuple(records)) if ok and count is not None else None


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
        # (tests/test_headings.py), and pages link here as "#search-<page>".
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
