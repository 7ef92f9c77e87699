"""Read data/claims.yml with line numbers; say exactly what is wrong and where.

The ledger keeps the accuracy audit (issue 11) true after it: each entry is one checked
number-bearing claim, with the page it is on, the claim's text (or a distinctive fragment that
must stay on the page), the citation key(s) it must carry there, and the evidence-notes passage it
rests on. `not_claims` lists the number patterns that are not claims (phone numbers, names such as
"T2" or "L4/L5"), each with its reason.

Its shape is declared once (CLAIM, NOT_CLAIM) and checked by the kernel's one walker
(backpain_site/kernel/schema.py); what is not shape (a page that exists, keys in references.bib, a
number in the claim, where the evidence is) follows as plain code. `parse()` never raises: it returns
what it could read and a list of Problems
("data/claims.yml:14: claim 3, field "cites": unknown key "urits2019" (not in references.bib); did you
mean "urits2019low"?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from backpain_site.kernel.problems import Problem
from backpain_site.kernel.schema import Entry, Field, ListOf, Reader, Record, Text, did_you_mean, optional, read_file

from .numbers import number_in

LEDGER_FILE = Path("data") / "claims.yml"
EVIDENCE_SOURCES = ("EVIDENCE.md", "verified.bib", "references.bib annote")


@dataclass
class Claim:
    page: str  # docs-relative, e.g. "how-common.md"
    claim: str
    cites: tuple[str, ...]
    evidence: str
    line: int
    note: str = ""


@dataclass
class NotClaim:
    pattern: re.Pattern
    reason: str
    line: int


@dataclass
class Ledger:
    file: str
    claims: list[Claim] = field(default_factory=list)
    not_claims: list[NotClaim] = field(default_factory=list)

    def patterns(self) -> list[re.Pattern]:
        return [n.pattern for n in self.not_claims]


def _numbered(noun: str):
    return lambda where, fields, index: f"{noun} {index}"


def _folded(text: str | None) -> str:
    """Text with its runs of spaces and line breaks as one space (a claim may wrap in the file)."""
    return " ".join((text or "").split())


WORDS = Text(scalars=True)  # a claim or pattern may be a bare number ("111")
NOT_CLAIM = Record(
    {"pattern": Field(WORDS), "reason": Field(WORDS)}, label=_numbered("not_claims"), hint="pattern, reason"
)
CLAIM = Record(
    {
        "page": Field(Text()),
        "claim": Field(WORDS),
        "cites": Field(ListOf(Text(), "must be a list of keys, e.g. [urits2019low]", null=False)),
        "evidence": Field(Text()),
        "note": optional(WORDS),
    },
    label=_numbered("claim"),
    hint="page, claim, cites, evidence; note optional",
)
FILE = Record(
    {"claims": Field(ListOf(CLAIM, null=False)), "not_claims": optional(ListOf(NOT_CLAIM))},
    hint="claims:, and optionally not_claims:",
)


def parse(
    text: str, file: str, bib_keys: set[str] | None = None, pages: set[str] | None = None
) -> tuple[Ledger, list[Problem]]:
    """The ledger in `text` and every problem with it. `bib_keys`/`pages` (docs-relative .md paths)
    are checked when given."""
    ledger = Ledger(file)
    reader, top = read_file(text, file, FILE, empty='the file is empty; it needs a "claims:" list')
    if top is None:
        return ledger, reader.problems

    for entry in top.get("not_claims", []):
        if not (entry and entry.ok):
            continue
        try:
            compiled = re.compile(_folded(entry.get("pattern")))
        except re.error as err:
            where = entry.where_of("pattern")
            reader.problem(entry.nodes["pattern"], where, f"not a valid regular expression ({err})")
            continue
        ledger.not_claims.append(NotClaim(compiled, _folded(entry.get("reason")), entry.line))

    seen: dict[tuple[str, str], int] = {}
    for entry in top.get("claims", []):
        if entry:
            claim = _claim(entry, reader, ledger, seen, bib_keys, pages)
            if claim is not None:
                ledger.claims.append(claim)
    return ledger, sorted(reader.problems, key=Problem.sort_key)  # in file order


def _claim(entry: Entry, reader: Reader, ledger: Ledger, seen, bib_keys, pages) -> Claim | None:
    """The checks after the shape: a page that exists, keys in references.bib, a number in the claim,
    where the evidence is, and each claim once."""
    ok = entry.ok

    def problem(name: str, message: str) -> None:
        nonlocal ok
        reader.problem(entry.nodes[name], entry.where_of(name), message)
        ok = False

    page, claim, evidence = entry.get("page"), _folded(entry.get("claim")), entry.get("evidence")
    if page is not None and pages is not None and page not in pages:
        problem("page", f"no page docs/{page}{did_you_mean(page, sorted(pages), cutoff=0.6)}")
    for key in entry.get("cites", []):
        if key is not None and bib_keys is not None and key not in bib_keys:
            problem("cites", f'unknown key "{key}" (not in references.bib){did_you_mean(key, sorted(bib_keys))}')
    if entry.get("cites") == []:
        problem("cites", "must be a list of keys, e.g. [urits2019low]")
    if claim and not number_in(claim, ledger.patterns()):
        problem("claim", f'"{claim}" holds no number; the ledger lists number-bearing claims')
    if evidence is not None and not evidence.startswith(EVIDENCE_SOURCES):
        problem(
            "evidence",
            "say where the claim rests, starting with one of "
            f"{', '.join(EVIDENCE_SOURCES)} (then the section and a quote)",
        )
    if page is not None and claim:
        if (page, claim) in seen:
            where = entry.where
            reader.problem(entry.node, where, f"the same claim on {page} is already listed at line {seen[page, claim]}")
            ok = False
        seen.setdefault((page, claim), entry.line)
    if not ok:
        return None
    return Claim(page, claim, tuple(entry.get("cites")), _folded(evidence), entry.line, _folded(entry.get("note")))


def load(root: Path, bib_keys: set[str] | None = None) -> tuple[Ledger, list[Problem]]:
    """The project's ledger, checked against its docs/ pages and (when given) references.bib keys."""
    path = root / LEDGER_FILE
    file = LEDGER_FILE.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        return Ledger(file), [Problem(file, 0, f"cannot read the claims ledger: {err.strerror}")]
    docs = root / "docs"
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    return parse(text, file, bib_keys, pages)
