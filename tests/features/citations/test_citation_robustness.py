"""Property-based: no damaged entry makes the reader or the check raise, and every problem is located;
and any key Pandoc can cite (its punctuation, Unicode letters) with any value holding "@", quotes and
braces keeps its reference, evidence badge and back-link through a whole build.

Hypothesis takes real entries from fixtures/real-world/ and damages them the ways files get damaged
(a brace, quote, comma or "@" dropped or added, random bytes, a truncated file), then runs the
scanner and the whole check with a page citing the entry. Nothing may raise; every error and warning
must name the file and a line inside it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backpain_site.features.citations.bibtex import scan_file, scan_text
from backpain_site.features.citations.checks import Source, check

REAL = FIXTURES / "real-world"
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
                text = text[:i] + text[i + 1 :]
        elif kind == "insert":
            text = text[:pos] + draw(st.sampled_from(CHARS)) + text[pos:]
        elif kind == "name":  # a name pybtex cannot read ("Smith, A., B., C.")
            at = re.search(r"(?i)(author|editor)\s*=\s*[{\"]", text)
            if at:
                text = (
                    text[: at.end()]
                    + draw(st.sampled_from(["Smith, A., B., C. and ", "{", ",", " and and "]))
                    + text[at.end() :]
                )
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
    data = sample[: where % (len(sample) + 1)] + junk + sample[where % (len(sample) + 1) :]
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


# --- every key shape and value keeps its reference, badge and back-link (a whole build) ----------

WORD = st.one_of(
    st.sampled_from("abcXYZ019_"),
    st.characters(categories=("Ll", "Lu", "Lo", "Nd")).filter(lambda c: re.fullmatch(r"\w", c) is not None),
)
PANDOC_PUNCT = ":.#$%&-+?<>~/"  # Pandoc's internal punctuation in a key: each must be followed by a word character


@st.composite
def pandoc_keys(draw) -> str:
    """A key as Pandoc reads `[@key]`: a word character, then word characters and single punctuation marks
    each followed by a word character (`auth:2020`, `DBLP:conf/x/Y20`, `müller2020gehen`)."""
    key = draw(WORD)
    for _ in range(draw(st.integers(0, 6))):
        key += draw(st.sampled_from(["", *PANDOC_PUNCT])) + draw(WORD)
    return key


@st.composite
def titles(draw) -> str:
    """A title holding "@", quotes and balanced braces, sometimes a line that starts like an entry."""
    parts = draw(
        st.lists(
            st.sampled_from(
                [
                    "Running",
                    "@jack",
                    '"quoted"',
                    "{Braced}",
                    "{{Two}}",
                    "at@home",
                    "\n@misc{ inside} braces",
                    "café",
                    "O'Neil",
                ]
            ),
            min_size=1,
            max_size=6,
        )
    )
    return "Work " + " ".join(parts)


def _plain_title(title: str) -> str:
    return " ".join(title.replace("{", "").replace("}", "").split())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pandoc_keys(), titles(), st.booleans())
def test_any_key_shape_and_value_keeps_reference_badge_and_back_link(key, title, braced):
    """Built in this process (mkdocs build of the study fixture site, one cited entry added)."""
    import shutil
    import tempfile

    from bs4 import BeautifulSoup
    from helpers import FIXTURES, ROOT
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    assume_key = key.lower() not in ("muller2020asteroid", "smith2019review")
    if not assume_key:
        return
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "project"
        shutil.copytree(FIXTURES / "studies" / "base", dest)
        (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
        bib = dest / "references.bib"
        bib.write_text(
            bib.read_text(encoding="utf-8") + f"\n@article{{{key},\n  author = {{Doe, Jane}},\n"
            f"  title = {{{title}}},\n  journal = {{J}},\n  year = {{2020}},\n  doi = {{10.1000/x.1}}\n}}\n",
            encoding="utf-8",
        )
        cited = f"[@{{{key}}}]" if braced else f"[@{key}]"
        (dest / "docs" / "index.md").write_text(
            f"# P\n\nThe work {cited}.\n\nAlso [@muller2020asteroid] and "
            f"[@smith2019review].\n\n<!-- chart effects -->\n",
            encoding="utf-8",
        )
        data = dest / "data" / "studies.yml"
        data.write_text(
            data.read_text(encoding="utf-8").replace(
                "\ncharts:",
                (
                    f"\n  - key: {json.dumps(key, ensure_ascii=False)}\n    design: cohort\n    participants: null\n"
                    f'    size: {{count: 77, unit: adults}}\n    duration: null\n    finding: "F."\n    limits: []\n'
                    "\ncharts:"
                ),
                1,
            ),
            encoding="utf-8",
        )
        report = check(
            [scan_text(bib.read_text(encoding="utf-8"), "references.bib")],
            [Source("docs/index.md", (dest / "docs" / "index.md").read_text(encoding="utf-8"))],
        )
        assert not report.errors, report.error_text()  # the check and the build agree: both pass
        build(load_config(str(dest / "mkdocs.yml"), site_dir=str(dest / "site")))
        soup = BeautifulSoup((dest / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
        items = soup.select("div.footnote li")
        assert len(items) == 3
        li = items[0]
        text = " ".join(li.get_text().replace("\u00a0", " ").split())
        assert _plain_title(title) in text, (key, title, text)
        badge = li.select_one(".evidence-badge")
        assert badge is not None and "77" in badge.get_text(), (key, str(li))
        backref = li.select_one("a.footnote-backref")
        assert backref is not None, (key, str(li))
        ref = soup.select_one("a.footnote-ref")  # the citation in the text links to it, and back
        assert ref is not None and ref["href"] == "#" + li["id"] and backref["href"] == "#" + ref["id"]
