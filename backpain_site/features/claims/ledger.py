"""Read data/claims.yml with line numbers; say exactly what is wrong and where.

The ledger keeps the accuracy audit (issue 11) true after it: each entry is one checked
number-bearing claim, with the page it is on, the claim's text (or a distinctive fragment that
must stay on the page), the citation key(s) it must carry there, and the evidence-notes passage it
rests on. `not_claims` lists the number patterns that are not claims (phone numbers, names such as
"T2" or "L4/L5"), each with its reason.

`parse()` never raises: it returns what it could read and a list of Problems
("data/claims.yml:12: claim 3, field "cites": unknown key "urits2019"; did you mean "urits2019low"?").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import line_of
from backpain_site.kernel.yaml_nodes import read as read_yaml

from .numbers import number_in

LEDGER_FILE = Path("data") / "claims.yml"
CLAIM_REQUIRED = ("page", "claim", "cites", "evidence")
CLAIM_OPTIONAL = ("note",)
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


def _scalar(node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return node.value
    return None


def parse(
    text: str, file: str, bib_keys: set[str] | None = None, pages: set[str] | None = None
) -> tuple[Ledger, list[Problem]]:
    """The ledger in `text` and every problem with it. `bib_keys`/`pages` (docs-relative .md paths)
    are checked when given."""
    ledger = Ledger(file)
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(file, line, message))

    root, unreadable = read_yaml(text, file)
    if unreadable:
        return ledger, [unreadable]
    if not isinstance(root, yaml.MappingNode):
        problem(line_of(root) if root else 0, "expected a mapping with `claims:` (and optionally `not_claims:`)")
        return ledger, problems
    top = {}
    for key_node, value in root.value:
        if key_node.value not in ("claims", "not_claims"):
            problem(line_of(key_node), f'unknown section "{key_node.value}" (expected "claims" or "not_claims")')
        elif key_node.value in top:
            problem(line_of(key_node), f'section "{key_node.value}" given twice')
        else:
            top[key_node.value] = value
    if "claims" not in top:
        problem(line_of(root), "no `claims:` list")

    for i, node in enumerate(_items(top.get("not_claims"), "not_claims", problem), 1):
        fields = _fields(node, f"not_claims {i}", ("pattern", "reason"), (), problem)
        if fields is None:
            continue
        pattern, reason = fields["pattern"], fields["reason"]  # both required: _fields checked them
        try:
            compiled = re.compile(pattern)
        except re.error as err:
            problem(line_of(node), f'not_claims {i}, field "pattern": not a valid regular expression ({err})')
            continue
        ledger.not_claims.append(NotClaim(compiled, reason, line_of(node)))

    seen: dict[tuple[str, str], int] = {}
    for i, node in enumerate(_items(top.get("claims"), "claims", problem), 1):
        where = f"claim {i}"
        fields = _fields(node, where, CLAIM_REQUIRED, CLAIM_OPTIONAL, problem, lists=("cites",))
        if fields is None:
            continue
        line = line_of(node)
        page, text_, evidence, cites = fields["page"], fields["claim"], fields["evidence"], fields["cites"]
        bad = False
        if pages is not None and page not in pages:
            close = difflib.get_close_matches(page, sorted(pages), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            problem(line, f'{where}, field "page": no page docs/{page}{hint}')
            bad = True
        for key in cites:
            if bib_keys is not None and key not in bib_keys:
                close = difflib.get_close_matches(key, sorted(bib_keys), n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                problem(line, f'{where}, field "cites": unknown key "{key}" (not in references.bib){hint}')
                bad = True
        if not number_in(text_, ledger.patterns()):
            problem(line, f'{where}, field "claim": "{text_}" holds no number; the ledger lists number-bearing claims')
            bad = True
        if not evidence.startswith(EVIDENCE_SOURCES):
            problem(
                line,
                f'{where}, field "evidence": say where the claim rests, starting with one of '
                f"{', '.join(EVIDENCE_SOURCES)} (then the section and a quote)",
            )
            bad = True
        if (page, text_) in seen:
            problem(line, f"{where}: the same claim on {page} is already listed at line {seen[(page, text_)]}")
            bad = True
        seen.setdefault((page, text_), line)
        if not bad:
            ledger.claims.append(Claim(page, text_, tuple(cites), evidence, line, fields.get("note") or ""))
    return ledger, problems


def _items(node, name, problem) -> list:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problem(line_of(node), f'"{name}" must be a list (each item starting with "- ")')
        return []
    return node.value


def _fields(node, where, required, optional, problem, lists=()) -> dict | None:
    if not isinstance(node, yaml.MappingNode):
        problem(line_of(node), f"{where}: expected fields (page:, claim:, ...), found {node.tag.rsplit(':', 1)[-1]}")
        return None
    out: dict = {}
    ok = True
    for key_node, value in node.value:
        name = key_node.value
        if name not in required and name not in optional:
            problem(line_of(key_node), f'{where}: unknown field "{name}" (fields: {", ".join(required + optional)})')
            ok = False
            continue
        if name in lists:
            items = value.value if isinstance(value, yaml.SequenceNode) else None
            values = [_scalar(v) for v in items] if items is not None else None
            if not values or any(not v for v in values):
                problem(line_of(value), f'{where}, field "{name}": expected a list of keys, e.g. [urits2019low]')
                ok = False
                continue
            out[name] = values
        else:
            scalar = _scalar(value)
            if not scalar or not scalar.strip():
                problem(line_of(value), f'{where}, field "{name}": expected text')
                ok = False
                continue
            out[name] = " ".join(scalar.split())
    for name in required:
        if name not in out and ok:
            problem(line_of(node), f'{where}: missing field "{name}"')
            ok = False
    return out if ok else None


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
