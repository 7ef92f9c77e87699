"""BibLaTeX as well as BibTeX: inheritance, field and type mapping, DOIs, dates, LaTeX to Unicode.

pybtex reads BibTeX; its styles know the classic types and fields only. Reference managers export
BibLaTeX (`journaltitle`, `date`, `@online`, `@report`, `@thesis` ...), `crossref`/`xdata`
children that expect to inherit from a parent, DOIs written as links, and LaTeX that pybtex leaves
raw. This module turns one scanned entry into the pybtex Entry the site's style formats:

* `resolve()` merges `xdata` and `crossref` parents into a child, as biber does (parent keys are
  matched case-insensitively; a parent's title becomes the child's booktitle);
* `normalise()` maps BibLaTeX fields to the ones the style formats, parses dates and DOIs, and
  converts LaTeX to Unicode (backpain_site/features/citations/latex.py), collecting anything it had to guess at;
* `pybtex_entry()` builds the pybtex Entry (persons parsed by pybtex, so a bad name is pybtex's
  located error, as before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from pybtex.database import Entry as PybtexEntry
from pybtex.database import Person

from backpain_site.kernel.clock import MONTHS as CLOCK_MONTHS

from .latex import to_unicode

DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/\S+")
DOI_PREFIXES = re.compile(
    r"^(?:doi\s*:\s*|https?\s*:\s*//(?:dx\.|www\.)?doi\.org/|(?:dx\.)?doi\.org/|https?://doi\.acm\.org/)", re.I
)
MONTH_NAMES = list(CLOCK_MONTHS)
MONTHS = (
    {m[:3].lower(): m for m in MONTH_NAMES}
    | {m.lower(): m for m in MONTH_NAMES}
    | {str(i): m for i, m in enumerate(MONTH_NAMES, 1)}
    | {f"{i:02d}": m for i, m in enumerate(MONTH_NAMES, 1)}
)
DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?[~?%]?")

# Every type the style formats directly, and what the others are shown as.
KNOWN = {
    "article",
    "book",
    "booklet",
    "inbook",
    "incollection",
    "inproceedings",
    "manual",
    "mastersthesis",
    "misc",
    "phdthesis",
    "proceedings",
    "techreport",
    "unpublished",
}
SHOWN_AS = {
    "conference": "inproceedings",
    "online": "misc",
    "www": "misc",
    "electronic": "misc",
    "webpage": "misc",
    "report": "techreport",
    "thesis": "phdthesis",
    "collection": "book",
    "mvcollection": "book",
    "mvbook": "book",
    "bookinbook": "book",
    "reference": "book",
    "mvreference": "book",
    "mvproceedings": "proceedings",
    "inreference": "incollection",
    "suppcollection": "incollection",
    "suppbook": "inbook",
    "patent": "misc",
    "dataset": "misc",
    "software": "misc",
    "artwork": "misc",
    "audio": "misc",
    "video": "misc",
    "movie": "misc",
    "music": "misc",
    "image": "misc",
    "letter": "misc",
    "standard": "misc",
    "periodical": "misc",
    "suppperiodical": "article",
    "set": "misc",
    "commentary": "misc",
    "jurisdiction": "misc",
    "legislation": "misc",
    "legal": "misc",
    "review": "article",
    "performance": "misc",
}
# What a misc-shown type says it is ("Patent US 123", "Dataset").
KIND = {
    "patent": "Patent",
    "dataset": "Dataset",
    "software": "Software",
    "standard": "Standard",
    "video": "Video",
    "audio": "Audio recording",
    "movie": "Film",
    "letter": "Letter",
    "artwork": "Artwork",
    "image": "Image",
    "music": "Music",
    "legislation": "Legislation",
}
THESIS_TYPES = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "bathesis": "Bachelor's thesis",
    "candthesis": "Candidate thesis",
}
REPORT_TYPES = {"techreport": "Technical report", "resreport": "Research report"}
PATENT_TYPES = {
    "patent": "Patent",
    "patentus": "US patent",
    "patenteu": "European patent",
    "patentuk": "UK patent",
    "patentde": "German patent",
    "patentfr": "French patent",
    "patreq": "Patent request",
    "patrequs": "US patent request",
    "patreqeu": "European patent request",
    "patrequk": "UK patent request",
    "patreqde": "German patent request",
    "patreqfr": "French patent request",
}
# Fields a child never inherits (biber's defaults).
NOT_INHERITED = {
    "ids",
    "crossref",
    "xref",
    "xdata",
    "entryset",
    "entrysubtype",
    "execute",
    "label",
    "options",
    "presort",
    "related",
    "relatedoptions",
    "relatedstring",
    "relatedtype",
    "shorthand",
    "shorthandintro",
    "sortkey",
}
# A parent's title goes to the child's booktitle when the child is part of it (biber's defaults).
TITLE_TO_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
PART_TYPES = {"inbook", "incollection", "inproceedings", "inreference", "suppbook", "suppcollection", "bookinbook"}
# The fields the style shows (only these are converted from LaTeX, and so only these can warn).
TEXT_FIELDS = {
    "title",
    "journal",
    "booktitle",
    "publisher",
    "school",
    "institution",
    "organization",
    "address",
    "howpublished",
    "note",
    "series",
    "edition",
    "chapter",
    "type",
    "volume",
    "number",
    "pages",
    "month",
    "year",
    "isbn",
    "urldate",
    "version",
    "key",
}
EXTENDED_NAME = re.compile(
    r"\s*(family|given|prefix|suffix|useprefix)\s*=\s*(\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[^,]*)\s*(?:,|$)"
)
PERSON_ROLES = ("author", "editor")


BARE_DOI = re.compile(r"10\.\d{4,9}/[^\s{}\\]+")


def normalise_doi(value: str) -> str | None:
    """The bare DOI in any common written form, or None when there is none."""
    if BARE_DOI.fullmatch(value) and value[-1] not in ".,;:":
        return value  # the common case, fast: a 10,000-entry export has thousands
    doi = value.strip().replace("\\_", "_").replace("{", "").replace("}", "").strip()
    doi = DOI_PREFIXES.sub("", doi).strip()
    doi = doi.rstrip(".,;: ")
    if "%" in doi:
        doi = unquote(doi)
    return doi if BARE_DOI.fullmatch(doi) else None


def resolve(entry, by_lower: dict, notes: list[str]) -> dict[str, str]:
    """The entry's fields with those of its xdata and crossref parents (biber's rules)."""
    return _resolve(entry, by_lower, notes, set())


def _resolve(entry, by_lower, notes, seen) -> dict[str, str]:
    fields = dict(entry.fields)
    if entry.key.lower() in seen:
        notes.append(f'"{entry.key}" inherits from itself (crossref/xdata loop); the loop is ignored')
        return fields
    seen = seen | {entry.key.lower()}
    for parent_key in [k.strip() for k in fields.get("xdata", "").split(",") if k.strip()]:
        parent = by_lower.get(parent_key.lower())
        if parent is None:
            notes.append(f'xdata "{parent_key}" is not in the .bib files; its fields are missing')
            continue
        for name, value in _resolve(parent, by_lower, notes, seen).items():
            if name not in NOT_INHERITED:
                fields.setdefault(name, value)
    parent_key = fields.get("crossref", "").strip()
    if parent_key:
        parent = by_lower.get(parent_key.lower())
        if parent is None:
            notes.append(f'crossref "{parent_key}" is not in the .bib files; its fields are missing')
        else:
            parent_fields = _resolve(parent, by_lower, notes, seen)
            part = entry.type in PART_TYPES
            for name, value in parent_fields.items():
                if name not in NOT_INHERITED and not (part and name in TITLE_TO_BOOK):
                    fields.setdefault(name, value)
            # A part's book title: the parent's own booktitle (BibTeX-style parents write one),
            # else the parent's title (biber's rule).
            for name, value in parent_fields.items():
                if part and name in TITLE_TO_BOOK:
                    fields.setdefault(TITLE_TO_BOOK[name], value)
    return fields


def parse_date(value: str) -> tuple[str, str] | None:
    """BibLaTeX date (EDTF level 0/1 as biber reads it) -> (year text, month text)."""
    text = value.strip()
    if not text:
        return None
    start, sep, end = text.partition("/")
    m1 = DATE.fullmatch(start.strip()) if start.strip() not in ("", "..") else None
    m2 = DATE.fullmatch(end.strip()) if end.strip() not in ("", "..") else None
    if (start.strip() and m1 is None) or (end.strip() not in ("", "..") and m2 is None):
        return None
    if m1 is None:
        return None
    year, month = m1.group(1), MONTHS.get(str(int(m1.group(2))), "") if m1.group(2) else ""  # month 13: none
    if m1.group(3) and month:
        month = f"{int(m1.group(3))} {month}"
    if sep:
        if m2 is None:
            return year + "–", month
        if m2.group(1) != year:
            return f"{year}–{m2.group(1)}", ""
        if m2.group(2) and month:
            month2 = MONTHS.get(str(int(m2.group(2))), "")
            if m2.group(3):
                month2 = f"{int(m2.group(3))} {month2}"
            if month2 != month:
                month = f"{month}–{month2}"
    return year, month


def human_date(value: str) -> str:
    """An urldate as readers expect it: 2021-05-03 -> 3 May 2021."""
    m = DATE.fullmatch(value.strip())
    if not m:
        return value
    parts = [m.group(3) and str(int(m.group(3))), m.group(2) and MONTHS.get(str(int(m.group(2)))), m.group(1)]
    return " ".join(p for p in parts if p)


@dataclass
class Normalised:
    type: str  # the type the style formats
    fields: dict[str, str]  # Unicode text (italics marked), links raw
    persons: dict[str, list[str]]  # role -> raw name strings (LaTeX)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (field, message) worth a warning


def _join(first: str, second: str, sep: str = ": ") -> str:
    if not first:
        return second
    if not second:
        return first
    if first.rstrip()[-1:] in "?!.:":
        return f"{first} {second}"
    return f"{first}{sep}{second}"


def normalise(entry_type: str, raw: dict[str, str]) -> Normalised:
    """Map BibLaTeX fields and types to what the style formats; LaTeX to Unicode."""
    f = {k: v for k, v in raw.items()}
    notes: list[tuple[str, str]] = []
    kind = entry_type.lower()
    shown = kind if kind in KNOWN else SHOWN_AS.get(kind, "misc")
    if kind not in KNOWN and kind not in SHOWN_AS:
        notes.append(("", f'type "@{entry_type}" is not a BibTeX or BibLaTeX type; shown as a generic work'))
    # BibLaTeX names of BibTeX fields.
    for new, old in (
        ("journaltitle", "journal"),
        ("location", "address"),
        ("annotation", "annote"),
        ("eventtitle", "booktitle"),
        ("city", "address"),
    ):
        if new in f and old not in f:
            f[old] = f[new]
    if shown in ("incollection", "inproceedings") and not f.get("booktitle") and f.get("journal"):
        f["booktitle"] = f["journal"]  # Mendeley writes the book or proceedings title as "journal"
    if "institution" in f and "school" not in f and shown in ("phdthesis", "mastersthesis"):
        f["school"] = f["institution"]
    if shown == "inbook" and f.get("booktitle"):
        shown = "incollection"  # BibLaTeX @inbook: a titled part of a book
    # Titles with their parts.
    f["title"] = _join(f.get("title", ""), f.get("subtitle", ""))
    if f.get("titleaddon"):
        f["title"] = _join(f["title"], f["titleaddon"], ". ")
    if f.get("booktitle") or f.get("booksubtitle"):
        f["booktitle"] = _join(f.get("booktitle", ""), f.get("booksubtitle", ""))
    if f.get("maintitle"):
        main = _join(f["maintitle"], f.get("mainsubtitle", ""))
        if shown in ("incollection", "inproceedings", "inbook") and f.get("booktitle"):
            f["booktitle"] = _join(main, f["booktitle"], ". ")
        elif f.get("title"):
            f["title"] = _join(main, f["title"], ". ")
        else:
            f["title"] = main
    if not f["title"]:
        del f["title"]
    if f.get("journal") and f.get("journalsubtitle"):
        f["journal"] = _join(f["journal"], f["journalsubtitle"])
    if shown == "article" and not f.get("number") and f.get("issue"):
        f["number"] = f["issue"]
    # Dates.
    if f.get("date"):
        parsed = parse_date(f["date"])
        if parsed is None:
            notes.append(("date", f'date "{f["date"]}" is not a date like 2020, 2020-05 or 2020-05-03'))
            f.setdefault("year", f["date"])
        elif not f.get("year"):
            f["year"], month = parsed
            if month and not f.get("month"):
                f["month"] = month
    if f.get("month"):
        f["month"] = MONTHS.get(f["month"].strip().lower().rstrip("."), f["month"])
    if re.fullmatch(r"\s*\d+\s*", f.get("edition", "")):
        f["edition"] = ordinal(int(f["edition"]))
    if f.get("urldate"):
        f["urldate"] = human_date(f["urldate"])
    # Identifiers and links.
    if "doi" in f:
        doi = normalise_doi(f["doi"])
        if doi:
            f["doi"] = doi
        else:
            del f["doi"]
    eprint_type = (f.get("eprinttype") or f.get("archiveprefix") or "").strip().lower()
    if f.get("eprint"):
        if eprint_type in ("pubmed", "pmid"):
            f["pubmed"] = f.pop("eprint")
        elif eprint_type not in ("arxiv", "") and not re.fullmatch(
            r"\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7}", f["eprint"].strip()
        ):
            label = f.get("eprinttype") or f.get("archiveprefix")
            f.setdefault("note", "")
            f["note"] = _join(f["note"], f"{label}: {f.pop('eprint')}", ". ")
    # Types shown as another type.
    if shown == "phdthesis":
        t = f.get("type", "").strip()
        if kind == "mastersthesis" or t.lower() in ("mathesis", "mastersthesis"):
            shown = "mastersthesis"
        if t:
            f["type"] = THESIS_TYPES.get(t.lower(), t)
        elif kind == "thesis":
            f["type"] = "Thesis"  # not "PhD thesis": the entry does not say which
        f.setdefault("school", f.get("institution", f.get("organization", f.get("publisher", ""))))
        if not f["school"]:
            del f["school"]
    if shown == "techreport":
        t = f.get("type", "").strip()
        if t:
            f["type"] = REPORT_TYPES.get(t.lower(), t[:1].upper() + t[1:])
        elif kind == "report":
            f["type"] = "Report"
        f.setdefault("institution", f.get("organization", f.get("publisher", "")))
        if not f["institution"]:
            del f["institution"]
    if shown == "misc":
        label = KIND.get(kind, "")
        if kind == "patent" and f.get("type"):
            label = PATENT_TYPES.get(f["type"].strip().lower(), f["type"])
        if f.get("version"):
            label = _join(label, "version " + f["version"], " ") if label else "Version " + f["version"]
        parts = [
            p
            for p in (
                _join(label, f.get("number", ""), " ") if kind in ("patent", "standard") else label,
                f.get("howpublished", ""),
                f.get("journal", ""),
                f.get("booktitle", ""),
                f.get("institution", ""),
                f.get("organization", ""),
                f.get("publisher", ""),
            )
            if p
        ]
        if parts:
            f["howpublished"] = ", ".join(parts)
    if shown in ("book", "proceedings") and kind in ("collection", "mvcollection", "proceedings", "reference"):
        pass  # editor-only works: the book template names the editors
    # LaTeX to Unicode in the text fields (links and identifiers stay as written).
    out: dict[str, str] = {}
    for name, value in f.items():
        if name in ("url", "doi", "eprint", "pubmed", "pmid", "crossref", "xdata") or name in PERSON_ROLES:
            out[name] = value.strip()
            continue
        if name not in TEXT_FIELDS:
            continue
        text, unknown = to_unicode(value)
        for command in dict.fromkeys(unknown):
            notes.append((name, f'unknown LaTeX command "{command}" in field "{name}"; only its text is shown'))
        out[name] = text
    if "url" in out:
        out["url"] = clean_url(out["url"])
    persons = {role: split_names(f[role]) for role in PERSON_ROLES if f.get(role, "").strip()}
    return Normalised(shown, out, persons, notes)


def ordinal(n: int) -> str:
    """2 -> "2nd": a numeric edition as readers say it."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def clean_url(value: str) -> str:
    """A url as written in exports, as a link: `\\url{}` and LaTeX escapes removed; of several
    space-separated links (Mendeley) the first; other spaces %-encoded."""
    url = value.strip()
    m = re.fullmatch(r"\\url\s*\{(.*)\}", url, re.S)
    if m:
        url = m.group(1)
    url = re.sub(r"\{?\\(?:textasciitilde|~)\s*\{?\}?\}?", "~", url)
    url = re.sub(r"\\([_%&#$~])", r"\1", url).replace("{", "").replace("}", "")
    parts = url.split()
    if len(parts) > 1 and all(re.match(r"https?://", p) for p in parts):
        return parts[0]
    return "%20".join(parts)


def person(name: str) -> Person:
    """pybtex's Person, also from BibLaTeX's extended name format (`family=Heuvel, given=Charles,
    prefix=van den`), which pybtex reads as "too many commas"."""
    if "=" in name and re.match(r"\s*(family|given|prefix|suffix)\s*=", name):
        parts = {}
        for m in EXTENDED_NAME.finditer(name):
            value = m.group(2).strip()
            parts[m.group(1)] = value[1:-1] if value.startswith("{") and value.endswith("}") else value
        return Person(
            first=parts.get("given", ""),
            prelast=parts.get("prefix", ""),
            last=parts.get("family", ""),
            lineage=parts.get("suffix", ""),
        )
    # "E.P.D. Pednault": initials written together are three initials, not one name.
    if "{" not in name:
        name = re.sub(r"(?<=\b[A-Z]\.)(?=[A-Z]\b)", " ", name)
    return Person(name)


def split_names(value: str) -> list[str]:
    from pybtex.bibtex.utils import split_name_list

    return split_name_list(" ".join(value.split()))  # "and" at a line break separates names too


def _safe(text: str) -> str:
    """Unicode text as LaTeX that pybtex's Text.from_latex gives back unchanged."""
    return text.replace("\\", "\\textbackslash ").replace("%", "\\%").replace("{", "(").replace("}", ")")


def pybtex_entry(norm: Normalised) -> tuple[PybtexEntry, list[str]]:
    """A pybtex Entry ready for the style; (entry, unknown LaTeX commands in names)."""
    fields = {}
    for name, value in norm.fields.items():
        if name in PERSON_ROLES:
            continue
        fields[name] = value if name in ("url", "doi", "eprint", "pubmed") else _safe(value)
    entry = PybtexEntry(norm.type, fields=fields)
    unknown: list[str] = []
    for role, names in norm.persons.items():
        for name in names:
            someone = person(name)  # pybtex's name parser: strict mode raises on a bad name
            for part in ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names"):
                converted = []
                for word in getattr(someone, part):
                    text, bad = to_unicode(word)
                    unknown += bad
                    converted.append(_safe(text.replace("\ue001", "").replace("\ue002", "")))
                setattr(someone, part, converted)
            entry.add_person(someone, role)
    return entry, unknown
