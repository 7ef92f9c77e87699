"""Check the bibliography and every citation together, and say where each problem is.

Errors stop the build (with or without --strict); warnings are listed once, in a summary.
The build (backpain_site/features/citations/build.py) and the editor's `python -m backpain_site.features.citations check` call `check()`,
so both print the same messages.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pybtex.errors
from pybtex.database import BibliographyData
from pybtex.style.template import FieldIsMissing

from .biblatex import DOI_IN_TEXT, clean_url, normalise, normalise_doi, pybtex_entry, resolve
from .bibtex import BibFile, Entry
from .bibtex_plugin import PLUGIN_KEY as CITABLE_KEY  # keys mkdocs-bibtex and HTML ids take as they are
from .markdown import Citation, find_citations
from .problems import Problem
from .render import format_reference
from .style import ReaderStyle

NOT_IN_URL = re.compile(r"[\s\"<>\\]")
UNCITED = "entries never cited"
NO_ID = "cited entries without a doi or pmid"
CASE = "citations whose key matches only if upper/lower case is ignored"
IN_UNCITED = "problems in entries no page cites (fix them before citing those entries)"
FORMAT = "cited entries shown with a guess (check how they read)"


@dataclass
class Source:
    """A Markdown file that may cite: its text and how messages name it."""

    file: str
    text: str
    problems: list[Problem] = field(default_factory=list)  # the file could not be read


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    warnings: dict[str, list[Problem]] = field(default_factory=lambda: defaultdict(list))
    entries: dict[str, Entry] = field(default_factory=dict)
    cited: dict[str, list[Citation]] = field(default_factory=dict)  # key -> where it is cited
    renames: dict[str, str] = field(default_factory=dict)  # key as written -> key in the .bib
    aliases: dict[str, str] = field(default_factory=dict)  # key in the .bib -> key the plugin and HTML ids use
    by_lower: dict[str, Entry] = field(default_factory=dict)
    bib_text: str = ""  # the cited entries (and @string macros), for pybtex
    bib_data: object = None  # bib_text as pybtex read it (pybtex.database.BibliographyData)
    formatted: dict[str, str] = field(default_factory=dict)  # key -> the reference as readers see it
    parents: set[str] = field(default_factory=set)  # crossref/xdata parents of cited entries (not cited)

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
                out.append(
                    f"  ... and {len(problems) - len(shown)} more "
                    f"(`python -m backpain_site.features.citations check --all` lists them)"
                )
        return "\n".join(out)


def check(bibs: list[BibFile], sources: list[Source], cache=None) -> Report:
    """Everything wrong with the bibliography and the citations, and each cited entry formatted once.
    `cache` (a build_cache.Cache) keeps formatted references between builds."""
    report = Report()
    fatal = [p for bib in bibs for p in bib.fatal]
    if fatal:  # the root cause only: every citation would otherwise be "unknown"
        report.errors.extend(fatal)
        return report
    if not any(bib.entries or bib.problems for bib in bibs) and _empty(bibs, sources, report):
        return report
    pending = _index_entries(bibs, report)
    _check_citations(sources, report, set().union(*(bib.broken for bib in bibs)))
    report.parents = _parents(report)
    for bib in bibs:
        pending += [(bib.problem_key.get(p), p) for p in bib.problems]
    pending.sort(key=lambda item: item[1].sort_key())
    for key, problem in pending:  # errors only where the entry is cited
        keys = key if isinstance(key, tuple) else (key,)
        if key is not None and all(_cited(k, report) for k in keys):
            report.errors.append(problem)
        else:
            report.warnings[IN_UNCITED].append(problem)
    _check_warnings(report)
    if not report.errors:
        report.bib_text = cited_bib(bibs, report)
        _build(report, cache)
    return report


def _empty(bibs: list[BibFile], sources: list[Source], report: Report) -> bool:
    """No entries at all while pages cite: one message per file (not one per citation). True if so."""
    keys = {c.key for source in sources for c in find_citations(source.text, source.file)[0]}
    if not keys:
        return False
    for bib in bibs:
        report.errors.append(
            Problem(
                bib.path,
                1,
                (
                    f"the file is empty, so none of the {len(keys)} cited keys can be found; put the bibliography "
                    f"back (your reference manager's BibTeX export, or the last committed version)"
                    if not bib.text.strip()
                    else f"the file has no entries (no line starts an entry such as @article{{key,), so none of the "
                    f"{len(keys)} cited keys can be found"
                ),
            )
        )
    return True


def _cited(key: str, report: Report) -> bool:
    """Cited on a page, or the crossref/xdata parent of a cited entry (its fields are shown too)."""
    if key in report.cited:
        return True
    entry = report.by_lower.get(key.lower())
    return entry is not None and (entry.key in report.cited or entry.key in report.parents)


def _parents(report: Report) -> set[str]:
    """The keys of the crossref/xdata parents (and theirs) of every cited entry."""
    found: set[str] = set()
    todo = [report.entries[k] for k in report.cited if k in report.entries]
    while todo:
        entry = todo.pop()
        for name in [entry.get("crossref")] + entry.get("xdata").split(","):
            parent = report.by_lower.get(name.strip().lower()) if name.strip() else None
            if parent is not None and parent.key not in found and parent.key not in report.cited:
                found.add(parent.key)
                todo.append(parent)
    return found


def _index_entries(bibs: list[BibFile], report: Report) -> list[tuple[str | tuple | None, Problem]]:
    """Entries by key (first wins), and problems in them, each with the key it belongs to."""
    pending: list[tuple[str | tuple | None, Problem]] = []
    first_by_doi: dict[str, Entry] = {}
    for bib in bibs:
        for entry in bib.entries:
            earlier = report.by_lower.get(entry.key.lower())
            if earlier:
                same = "duplicate key" if earlier.key == entry.key else "key differs only in case from"
                pending.append(
                    (
                        entry.key,
                        Problem(
                            entry.file,
                            entry.line,
                            (
                                f'{same} "{earlier.key}" (first defined at {earlier.file}:{earlier.line}); '
                                f"rename or remove one of them"
                            ),
                        ),
                    )
                )
                continue
            report.by_lower[entry.key.lower()] = entry
            report.entries[entry.key] = entry
            pending += [(entry.key, p) for p in _link_problems(entry)]
            if "doi" in entry.fields:
                doi = normalise_doi(entry.fields["doi"])
                other = first_by_doi.get(doi.lower()) if doi else None
                if other:
                    problem = Problem(
                        entry.file,
                        entry.field_line("doi"),
                        (
                            f'entry "{entry.key}" has the same DOI as "{other.key}" '
                            f"({other.file}:{other.field_line('doi')}): {doi}; keep one entry"
                        ),
                    )
                    pending.append(((entry.key, other.key), problem))  # an error only if both are cited
                elif doi:
                    first_by_doi[doi.lower()] = entry
    return pending


def _link_problems(entry: Entry) -> list[Problem]:
    found = []
    if "url" in entry.fields:
        written = entry.get("url").strip()  # messages quote the file, so a search for it finds it
        url = clean_url(written)
        spaced = [p for p in written.split() if p] if len(written.split()) > 1 else []
        if spaced and not all(re.match(r"https?://", p) for p in spaced):  # several links (Mendeley): the first
            found.append(
                Problem(
                    entry.file,
                    entry.field_line("url"),
                    (
                        f'entry "{entry.key}": url "{_short(written)}" contains a space, which a web address '
                        f"cannot contain; remove the space, or write %20 where the address really has one"
                    ),
                )
            )
            return found + _doi_problems(entry)
        parts = urlsplit(url) if not NOT_IN_URL.search(url) else None
        if not parts or parts.scheme not in ("http", "https") or not parts.netloc:
            found.append(
                Problem(
                    entry.file,
                    entry.field_line("url"),
                    (
                        f'entry "{entry.key}": url "{_short(written)}" is not a web address '
                        f"(only http:// and https:// links are allowed)"
                    ),
                )
            )
    return found + _doi_problems(entry)


def _doi_problems(entry: Entry) -> list[Problem]:
    found = []
    if "doi" in entry.fields and normalise_doi(entry.get("doi")) is None:
        doi = entry.get("doi").strip()
        hint = ""
        bare = DOI_IN_TEXT.search(doi)
        if bare:
            hint = f"; write only the DOI itself: doi = {{{bare.group(0).rstrip('.,;')}}}"
        found.append(
            Problem(
                entry.file,
                entry.field_line("doi"),
                (
                    f'entry "{entry.key}": doi "{_short(doi)}" is not a DOI '
                    f'(a DOI looks like "10.1136/bjsports-2024-108245"){hint}'
                ),
            )
        )
    return found


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_citations(sources: list[Source], report: Report, broken: set[str]) -> None:
    for source in sources:
        report.errors.extend(source.problems)
        cites, problems = find_citations(source.text, source.file)
        report.errors.extend(problems)
        for cite in cites:
            key = cite.key
            if key not in report.entries:
                real_entry = report.by_lower.get(key.lower())
                if real_entry is None and key in broken:
                    report.cited.setdefault(key, []).append(cite)
                    continue  # its entry is unreadable: that error is reported at the entry
                if real_entry is None:
                    report.errors.append(Problem(cite.file, cite.line, _unknown(key, report.entries)))
                    continue
                real = real_entry.key
                report.renames[key] = real
                report.warnings[CASE].append(
                    Problem(
                        cite.file,
                        cite.line,
                        (
                            f'[@{key}] matches "{real}" only if case is ignored; cited as "{real}" '
                            f"(write it as in the .bib file)"
                        ),
                    )
                )
                key = real
            report.cited.setdefault(key, []).append(cite)


def _unknown(key: str, entries: dict[str, Entry]) -> str:
    lowered: dict[str, str] = {k.lower(): k for k in entries}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=3, cutoff=0.6)
    message = f'unknown citation key "{key}": no entry with this key in the .bib file'
    if re.search(r"\s", key):
        joined = "".join(key.split())
        message += (
            "; a BibTeX key cannot contain a space (BibTeX ends the key at the first one), "
            f"so write the key without spaces in the .bib file and here, e.g. [@{joined}]"
        )
    if close:
        message += "; did you mean " + " or ".join(f'"{lowered[c]}"' for c in close) + "?"
    return message


def _check_warnings(report: Report) -> None:
    for key, entry in report.entries.items():
        if key in report.parents:
            continue  # shown through the entries that cite it by crossref
        if key not in report.cited:
            report.warnings[UNCITED].append(Problem(entry.file, entry.line, f'"{key}" is never cited'))
        elif (
            not entry.get("doi").strip()
            and not entry.get("pmid").strip()
            and (entry.get("eprinttype").lower() != "pubmed")
        ):
            report.warnings[NO_ID].append(
                Problem(
                    entry.file,
                    entry.line,
                    (f'"{key}" has no doi or pmid field (fine for a web page or guideline; otherwise add one)'),
                )
            )


def _macro_text(bibs: list[BibFile]) -> str:
    return "".join(bib.text[start:end] + "\n\n" for bib in bibs for start, end in bib.macros)


def cited_bib(bibs: list[BibFile], report: Report) -> str:
    """BibTeX source of the cited entries (with their crossref/xdata parents) and all @string macros.

    The build keeps its formatted references while this text is unchanged (mkdocs serve)."""
    wanted = {k.lower() for k in report.cited if k in report.entries}
    todo = list(wanted)
    while todo:
        entry = report.by_lower[todo.pop()]
        parents = [entry.get("crossref")] + entry.get("xdata").split(",")
        for parent in (p.strip().lower() for p in parents if p.strip()):
            if parent in report.by_lower and parent not in wanted:
                wanted.add(parent)
                todo.append(parent)
    chosen = [
        bib.text[e.start : e.end]
        for bib in bibs
        for e in bib.entries
        if e.key.lower() in wanted and report.by_lower.get(e.key.lower()) is e
    ]
    return _macro_text(bibs) + "\n\n".join(chosen) + "\n"


def alias_for(key: str, taken: set[str]) -> str:
    """The key as mkdocs-bibtex and HTML ids take it: unchanged when it is letters, digits, - and _;
    otherwise its other characters become "-" (knuth:ct:a -> knuth-ct-a), plus a short hash when
    that would clash with another key."""
    if CITABLE_KEY.fullmatch(key):
        return key
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "ref"
    if slug.lower() in taken and slug.lower() != key.lower():
        slug += "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
    return slug


@functools.cache
def format_version() -> str:
    """What decides how an entry reads: pybtex's version and the source of our style and readers."""
    import importlib.metadata

    from backpain_site.kernel.build_cache import source_of

    from . import biblatex, latex, render, style

    return f"pybtex {importlib.metadata.version('pybtex')}; {source_of(render, style, latex, biblatex)}"


def entry_key(entry) -> str:
    """Everything about a pybtex entry that its formatted text can depend on (a cache key)."""
    people = sorted(
        (role, [(p.first_names, p.middle_names, p.prelast_names, p.last_names, p.lineage_names) for p in persons])
        for role, persons in entry.persons.items()
    )
    return repr((entry.type, sorted(entry.fields.items()), people))


def _formatted(parsed, style, cache) -> str:
    """The reference as readers see it; from `cache` when this exact entry was formatted before."""
    if cache is None:
        return format_reference(parsed, style)
    key = entry_key(parsed)
    text = cache.get(key)
    if text is None:
        text = format_reference(parsed, style)  # a failure raises here and is never kept
        cache.put(key, text)
    return text


def _build(report: Report, cache=None) -> None:
    """Each cited entry, inherited, mapped, read and formatted once; faults become located errors."""
    before = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)  # pybtex's default; otherwise a bad name is only printed
    style = ReaderStyle()
    entries = {}
    taken = {k.lower() for k in report.by_lower}
    try:
        for key in report.cited:
            entry = report.entries.get(key)
            if entry is None:
                continue
            alias = alias_for(key, taken)
            report.aliases[key] = alias
            notes: list[str] = []
            fields = resolve(entry, report.by_lower, notes)
            for note in notes:
                report.warnings[FORMAT].append(
                    Problem(entry.file, entry.field_line("crossref"), f'entry "{key}": {note}')
                )
            norm = normalise(entry.type, fields)
            for name, note in norm.notes:
                line = entry.field_line(name) if name and name in entry.fields else entry.line
                report.warnings[FORMAT].append(Problem(entry.file, line, f'entry "{key}": {note}'))
            try:
                parsed, unknown = pybtex_entry(norm)
            except Exception as err:  # noqa: BLE001 - pybtex raises several kinds
                report.errors.append(Problem(entry.file, entry.line, f'entry "{key}": pybtex cannot read it: {err}'))
                continue
            for role, name in _organisations(entry):
                report.warnings[FORMAT].append(
                    Problem(
                        entry.file,
                        entry.field_line(role),
                        (
                            f'entry "{key}": {role} "{name}" looks like an organisation, but BibTeX reads it as a person '
                            f'(first names and a surname: "{_as_person(name)}"); put it in double braces to keep it whole: '
                            f"{role} = {{{{{name}}}}}"
                        ),
                    )
                )
            for command in dict.fromkeys(unknown):
                report.warnings[FORMAT].append(
                    Problem(
                        entry.file,
                        entry.field_line("author"),
                        (f'entry "{key}": unknown LaTeX command "{command}" in a name; only its text is shown'),
                    )
                )
            parsed.key = alias
            entries[alias] = parsed
            try:
                report.formatted[alias] = _formatted(parsed, style, cache)
            except FieldIsMissing as err:
                report.errors.append(
                    Problem(
                        entry.file,
                        entry.line,
                        (
                            f'entry "{key}": an @{entry.type} needs the field "{_field_name(err.field_name)}" to be shown '
                            f"as a reference; add it, or use a type that doesn't need it (e.g. @misc)"
                        ),
                    )
                )
            except Exception as err:  # noqa: BLE001 - any formatting failure becomes a located message
                report.errors.append(Problem(entry.file, entry.line, f'entry "{key}": cannot be formatted: {err}'))
    finally:
        pybtex.errors.set_strict_mode(before)
    report.bib_data = BibliographyData(entries=entries)


# Words that name a body of people, not a person ("The Astropy Collaboration", "WHO Guideline Group").
ORGANISATION = re.compile(
    r"\b(?:Collaboration|Consortium|Group|Organi[sz]ation|Association|Society|Institute|Committee|Council|"
    r"Network|Team|Agency|Foundation|University|Project|Initiative|Alliance|Federation|Board|Department|"
    r"Ministry|Service|Office|Centre|Center|Commission|Authority|Working Party|Collective)\b"
)


def _organisations(entry: Entry) -> list[tuple[str, str]]:
    """(role, name) of each author/editor that reads as an organisation but is not braced whole."""
    found = []
    for role in ("author", "editor"):
        for name in re.split(r"\s+and\s+", entry.get(role)):
            name = " ".join(name.split())
            if (
                name
                and not name.startswith("{")
                and "," not in name
                and " " in name
                and ORGANISATION.search(name)
                and _as_person(name) != name
            ):
                found.append((role, name))
    return found


def _as_person(name: str) -> str:
    """How a name without a comma reads as a person: its first names as initials ("T. A. Collaboration");
    unchanged when BibTeX finds no first names ("the StarKiller Team": "the" starts a surname)."""
    from pybtex.database import Person

    try:
        person = Person(name)
    except Exception:  # noqa: BLE001 - pybtex reports a bad name elsewhere
        return name
    initials = [w[0] + "." for w in person.first_names + person.middle_names if w]
    return " ".join(initials + person.prelast_names + person.last_names)


def _field_name(name: str) -> str:
    return {"journal": "journal (or journaltitle)", "year": "year (or date)"}.get(name, name)
