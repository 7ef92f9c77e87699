"""Property-based: no damaged entry makes the reader or the check raise, and every problem is located.

Hypothesis takes real entries from fixtures/real-world/ and damages them the ways files get damaged
(a brace, quote, comma or "@" dropped or added, random bytes, a truncated file), then runs the
scanner and the whole check with a page citing the entry. Nothing may raise; every error and warning
must name the file and a line inside it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backpain_site.features.citations.bibtex import scan_file, scan_text
from backpain_site.features.citations.checks import Source, check

REAL = Path(__file__).resolve().parent / "fixtures" / "real-world"
ENTRY = re.compile(r"^@\w+\s*[{(].*?^[})]\s*$", re.M | re.S)


@lru_cache(maxsize=1)
def samples() -> list[str]:
    """Up to 25 entries from each real file (with the file's @string macros for the macro users)."""
    out = []
    for path in sorted(REAL.glob("*.bib")):
        text = path.read_text(encoding="utf-8")
        strings = "\n".join(m.group(0) for m in re.finditer(r"^@string\s*\{[^\n]*\}\s*$", text, re.M | re.I))
        entries = [m.group(0) for m in ENTRY.finditer(text) if not m.group(0).lower().startswith("@string")]
        out += [strings + "\n" + e for e in entries[:: max(1, len(entries) // 25)][:25]]
    return out


CHARS = ["{", "}", '"', ",", "@", "=", "#", "\\", "\n", "%", "\x00", "\x1b", "é", "\ufffd", " and ", "$"]


@st.composite
def damaged(draw) -> str:
    text = draw(st.sampled_from(samples()))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["drop", "insert", "truncate", "bytes", "name"]))
        if not text:
            break
        pos = draw(st.integers(0, len(text) - 1))
        if kind == "drop":
            targets = [i for i, c in enumerate(text) if c in '{}",@=']
            if targets:
                i = draw(st.sampled_from(targets))
                text = text[:i] + text[i + 1:]
        elif kind == "insert":
            text = text[:pos] + draw(st.sampled_from(CHARS)) + text[pos:]
        elif kind == "name":  # a name pybtex cannot read ("Smith, A., B., C.")
            at = re.search(r"(?i)(author|editor)\s*=\s*[{\"]", text)
            if at:
                text = text[:at.end()] + draw(st.sampled_from(["Smith, A., B., C. and ", "{", ",", " and and "])) + text[at.end():]
        elif kind == "truncate":
            text = text[:pos]
        else:
            junk = draw(st.binary(min_size=1, max_size=8)).decode("latin-1")
            text = text[:pos] + junk + text[pos:]
    return text


def keys_in(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"@\w+\s*[{(]\s*([^\s,{}\"]+)\s*,", text)][:3]


def assert_located(problems, file: str, lines: int) -> None:
    for problem in problems:
        assert problem.file == file, problem
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.message.strip(), problem


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_entries_never_raise_and_every_problem_is_located(text):
    bib = scan_text(text, "references.bib")
    lines = text.count("\n") + 1
    assert_located(bib.problems, "references.bib", lines)
    page = "Cited: " + " ".join(f"[@{{{k}}}]" for k in keys_in(text)) + "\n"
    report = check([bib], [Source("docs/p.md", page)])
    for problem in report.errors + [p for group in report.warnings.values() for p in group]:
        where = "docs/p.md" if problem.file == "docs/p.md" else "references.bib"
        assert_located([problem], where, lines if where == "references.bib" else 2)
    if not report.errors:  # what is cited was formatted: nothing cited silently vanished
        assert set(report.formatted) == {report.aliases[k] for k in report.cited}


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=0, max_size=300), st.integers(0, 2000))
def test_bytes_in_any_encoding_never_raise(junk, where):
    sample = samples()[where % len(samples())].encode("utf-8")
    data = sample[:where % (len(sample) + 1)] + junk + sample[where % (len(sample) + 1):]
    path = Path("/tmp") / f"robust-{abs(hash(data)) % 10**8}.bib"
    path.write_bytes(data)
    try:
        bib = scan_file(path, "references.bib")
    finally:
        path.unlink()
    for problem in bib.problems:
        assert problem.file == "references.bib" and problem.line >= 1 and problem.message
    if bib.fatal:  # not UTF-8: one error, the cause first
        assert len(bib.fatal) == 1 and bib.fatal[0].message.startswith("the file is not UTF-8")
