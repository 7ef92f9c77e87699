"""Check the bibliography and every citation together, and say where each problem is.

Errors stop the build (with or without --strict); warnings are listed once, in a summary.
The build (hooks/citation_checks.py) and the editor's `python -m citations check` call `check()`,
so both print the same messages.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pybtex.errors
from pybtex.database import parse_string
from pybtex.style.template import FieldIsMissing

from .bibtex import BibFile, Entry
from .markdown import CITABLE_KEY, Citation, find_citations
from .problems import Problem
from .render import format_reference
from .style import ReaderStyle

# Old Wiley DOIs hold <, >, ; and # (10.1002/(SICI)1097-4636(199812)43:4<...>3.0.CO;2-#): allowed.
DOI = re.compile(r"10\.\d{4,9}/[^\s{}\\]+")
UNCITED = "entries never cited"
NO_ID = "cited entries without a doi or pmid"
CASE = "citations whose key matches only if upper/lower case is ignored"


@dataclass
class Source:
    """A Markdown file that may cite: its text and how messages name it."""
    file: str
    text: str


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    warnings: dict[str, list[Problem]] = field(default_factory=lambda: defaultdict(list))
    entries: dict[str, Entry] = field(default_factory=dict)
    cited: dict[str, list[Citation]] = field(default_factory=dict)  # key -> where it is cited
    renames: dict[str, str] = field(default_factory=dict)  # key as written -> key in the .bib
    bib_text: str = ""  # the cited entries (and @string macros), for pybtex
    bib_data: object = None  # bib_text as pybtex read it (pybtex.database.BibliographyData)
    formatted: dict[str, str] = field(default_factory=dict)  # key -> the reference as readers see it

    def error_text(self) -> str:
        lines = [str(p) for p in sorted(set(self.errors), key=Problem.sort_key)]
        noun = "problem" if len(lines) == 1 else "problems"
        return f"{len(lines)} {noun} with references or citations:\n  " + "\n  ".join(lines)

    def warning_text(self, limit: int | None = 10) -> str:
        out = []
        for group, problems in self.warnings.items():
            if not problems:
                continue
            out.append(f"{len(problems)} {group}:")
            shown = problems if limit is None else problems[:limit]
            out.extend(f"  {p}" for p in shown)
            if len(problems) > len(shown):
                out.append(f"  ... and {len(problems) - len(shown)} more "
                           f"(`python -m citations check --all` lists them)")
        return "\n".join(out)


def check(bibs: list[BibFile], sources: list[Source]) -> Report:
    report = Report()
    for bib in bibs:
        report.errors.extend(bib.problems)
    _check_entries(bibs, report)
    _check_citations(sources, report, set().union(*(bib.broken for bib in bibs)))
    _check_warnings(report)
    if not report.errors:
        report.bib_text = cited_bib(bibs, report)
        _check_pybtex(bibs, report)
    if not report.errors:
        _format(report)
    return report


def _format(report: Report) -> None:
    """Format each entry once; one pybtex cannot format would otherwise vanish from its page."""
    style = ReaderStyle()
    for key, parsed in report.bib_data.entries.items():
        try:
            report.formatted[key] = format_reference(parsed, style)
        except FieldIsMissing as err:
            entry = report.entries[key]
            report.errors.append(Problem(entry.file, entry.line, (
                f'entry "{key}": an @{entry.type} needs the field "{err.field_name}" to be shown as a '
                f"reference; add it, or use a type that doesn't need it (e.g. @misc)")))
        except Exception as err:  # noqa: BLE001 - any formatting failure becomes a located message
            entry = report.entries[key]
            report.errors.append(Problem(entry.file, entry.line, f'entry "{key}": cannot be formatted: {err}'))


def _check_entries(bibs: list[BibFile], report: Report) -> None:
    first_by_key: dict[str, Entry] = {}
    first_by_doi: dict[str, Entry] = {}
    for bib in bibs:
        for entry in bib.entries:
            if not CITABLE_KEY.fullmatch(entry.key):
                report.errors.append(Problem(entry.file, entry.line, (
                    f'key "{entry.key}" cannot be cited: a key may contain only letters A-Z, '
                    f"digits, '-' and '_'")))
            earlier = first_by_key.get(entry.key.lower())
            if earlier:
                same = "duplicate key" if earlier.key == entry.key else "key differs only in case from"
                report.errors.append(Problem(entry.file, entry.line, (
                    f'{same} "{earlier.key}" (first defined at {earlier.file}:{earlier.line}); '
                    f'rename or remove one of them')))
            else:
                first_by_key[entry.key.lower()] = entry
                report.entries[entry.key] = entry
            _check_links(entry, report)
            doi = entry.get("doi").strip()
            if doi and DOI.fullmatch(doi):
                other = first_by_doi.get(doi.lower())
                if other:
                    report.errors.append(Problem(entry.file, entry.field_line("doi"), (
                        f'entry "{entry.key}" has the same DOI as "{other.key}" '
                        f"({other.file}:{other.field_line('doi')}): {doi}; keep one entry")))
                else:
                    first_by_doi[doi.lower()] = entry


def _check_links(entry: Entry, report: Report) -> None:
    if "url" in entry.fields:
        url = entry.get("url").strip()
        parts = urlsplit(url) if not re.search(r"[\s\"<>]", url) else None
        if not parts or parts.scheme not in ("http", "https") or not parts.netloc:
            report.errors.append(Problem(entry.file, entry.field_line("url"), (
                f'entry "{entry.key}": url "{_short(url)}" is not a web address '
                f"(only http:// and https:// links are allowed)")))
    if "doi" in entry.fields:
        doi = entry.get("doi").strip()
        if not DOI.fullmatch(doi):
            hint = ""
            bare = re.search(r"10\.\d{4,9}/\S+", doi)
            if bare:
                plain = bare.group(0).replace("\\_", "_").replace("{", "").replace("}", "")
                hint = f'; write only the DOI itself: doi = {{{plain}}}'
            report.errors.append(Problem(entry.file, entry.field_line("doi"), (
                f'entry "{entry.key}": doi "{_short(doi)}" is not a DOI '
                f'(a DOI looks like "10.1136/bjsports-2024-108245"){hint}')))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_citations(sources: list[Source], report: Report, broken: set[str]) -> None:
    by_lower = {key.lower(): key for key in report.entries}
    for source in sources:
        cites, problems = find_citations(source.text, source.file)
        report.errors.extend(problems)
        for cite in cites:
            key = cite.key
            if key not in report.entries:
                real = by_lower.get(key.lower())
                if real is None and key in broken:
                    continue  # its entry is unreadable: that error is reported at the entry
                if real is None:
                    report.errors.append(Problem(cite.file, cite.line, _unknown(key, report.entries)))
                    continue
                report.renames[key] = real
                report.warnings[CASE].append(Problem(cite.file, cite.line, (
                    f'[@{key}] matches "{real}" only if case is ignored; cited as "{real}" '
                    f"(write it as in the .bib file)")))
                key = real
            report.cited.setdefault(key, []).append(cite)


def _unknown(key: str, entries: dict[str, Entry]) -> str:
    lowered: dict[str, str] = {k.lower(): k for k in entries}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=3, cutoff=0.6)
    message = f'unknown citation key "{key}": no entry with this key in the .bib file'
    if close:
        message += "; did you mean " + " or ".join(f'"{lowered[c]}"' for c in close) + "?"
    return message


def _check_warnings(report: Report) -> None:
    for key, entry in report.entries.items():
        if key not in report.cited:
            report.warnings[UNCITED].append(Problem(entry.file, entry.line, f'"{key}" is never cited'))
        elif not entry.get("doi").strip() and not entry.get("pmid").strip():
            report.warnings[NO_ID].append(Problem(entry.file, entry.line, (
                f'"{key}" has no doi or pmid field (fine for a web page or guideline; otherwise add one)')))


def _macro_text(bibs: list[BibFile]) -> str:
    return "".join(bib.text[start:end] + "\n\n" for bib in bibs for start, end in bib.macros)


def cited_bib(bibs: list[BibFile], report: Report) -> str:
    """BibTeX source of the cited entries (with their crossref parents) and all @string macros."""
    wanted = set(report.cited)
    for key in list(wanted):
        parent = report.entries[key].get("crossref")
        if parent in report.entries:
            wanted.add(parent)
    chosen = [bib.text[e.start:e.end] for bib in bibs for e in bib.entries if report.entries.get(e.key) is e and e.key in wanted]
    return _macro_text(bibs) + "\n\n".join(chosen) + "\n"


def _check_pybtex(bibs: list[BibFile], report: Report) -> None:
    """pybtex must read every cited entry (person names, for example, only pybtex checks)."""
    before = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)  # pybtex's default; otherwise a bad name is only printed
    try:
        _parse_cited(bibs, report)
    finally:
        pybtex.errors.set_strict_mode(before)


def _parse_cited(bibs: list[BibFile], report: Report) -> None:
    try:
        report.bib_data = parse_string(report.bib_text, "bibtex")
        return
    except Exception:  # noqa: BLE001 - pybtex raises several kinds; find the entry below
        pass
    texts = {bib.path: bib.text for bib in bibs}
    macros = _macro_text(bibs)
    for key in report.cited:
        entry = report.entries[key]
        try:
            parse_string(macros + texts[entry.file][entry.start:entry.end], "bibtex")
        except Exception as err:  # noqa: BLE001 - any pybtex failure becomes a located message
            report.errors.append(Problem(entry.file, entry.line, f'entry "{key}": pybtex cannot read it: {err}'))
    if not report.errors:  # the fault is in the @string/@preamble blocks
        try:
            parse_string(macros, "bibtex")
        except Exception as err:  # noqa: BLE001
            report.errors.append(Problem(bibs[0].path, 0, f"pybtex cannot read the @string/@preamble blocks: {err}"))
