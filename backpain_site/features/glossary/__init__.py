"""Words explained where they appear: one glossary (includes/glossary.md) for every page.

Each term and its other forms become Python-Markdown abbreviations (the `abbr` extension's
`glossary` option), so every page's text - including the help box and the reference list - shows
the word as <abbr title="definition">; docs/assets/glossary.js opens the definition on hover, tap and
keyboard focus. Code is never touched (abbr skips it) and ids/hrefs are attributes, which abbr
never rewrites. The Glossary page (docs/glossary.md) lists every term where it says
<!-- glossary --> (backpain_site/features/glossary/build.py), each as a <dfn> with its definition and citations, from the same file.

A form that starts with a small letter also matches with a capital ("randomised", "Randomised");
plurals and spellings are listed on purpose with "also:" (abbr matches exact words only).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown.util import ETX, STX

SOURCE = Path("includes") / "glossary.md"
MARKER = "<!-- glossary -->"

ENTRY = re.compile(r"^- \*\*(?P<term>[^*]+?)\*\*(?: \(also: (?P<also>[^)]*)\))?: (?P<definition>.*)$")
CITATION = re.compile(r"\s*\[@[^\]]*\]")
FORM = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9&' -]*[A-Za-z0-9])?$")
PLAIN = re.compile(r"[*_`<>\[\]|#]")


@dataclass(frozen=True)
class Term:
    term: str
    forms: tuple[str, ...]  # the term first, then its "also:" forms, as written
    definition: str         # Markdown: plain text plus any [@key] citations
    line: int

    @property
    def title(self) -> str:
        """The definition as an abbr title: plain text, citations left out."""
        return CITATION.sub("", self.definition).strip()

    @property
    def slug(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def parse_glossary(text: str, path: str = str(SOURCE)) -> tuple[list[Term], list[str]]:
    """The terms in the glossary file, and every problem as 'path:line: problem'."""
    terms: list[Term] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    in_comment = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if not stripped:
            continue
        match = ENTRY.match(stripped)
        if not match:
            problems.append(f"{path}:{number}: not a glossary entry; write "
                            f"'- **term** (also: other forms): definition'")
            continue
        forms = [match["term"].strip()] + [f.strip() for f in (match["also"] or "").split(",") if f.strip()]
        definition = match["definition"].strip()
        term = Term(forms[0], tuple(forms), definition, number)
        for form in forms:
            if not FORM.match(form):
                problems.append(f"{path}:{number}: form \"{form}\" must start and end with a letter or digit")
            for variant in variants(form):
                if variant.lower() in seen and seen[variant.lower()] != number:
                    problems.append(f"{path}:{number}: \"{form}\" is already defined on line {seen[variant.lower()]}")
                    break
                seen[variant.lower()] = number
        if not term.title:
            problems.append(f"{path}:{number}: \"{term.term}\" has no definition")
        elif PLAIN.search(term.title):
            problems.append(f"{path}:{number}: the definition of \"{term.term}\" must be plain text "
                            f"(no Markdown or HTML; only [@key] citations at the end)")
        terms.append(term)
    return terms, problems


def variants(form: str) -> list[str]:
    """The exact words abbr should match for a form: as written, capitalised if it starts small, and
    in title case ("Systematic Review and Meta-Analysis": reference titles keep their capitals)."""
    if not form[0].islower():
        return [form]
    title = re.sub(r"(^|[\s-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), form)
    return list(dict.fromkeys([form, form[0].upper() + form[1:], title]))


def abbreviations(terms: list[Term]) -> dict[str, str]:
    """Every matching word -> its definition, for the abbr extension's `glossary` option."""
    return {variant: term.title for term in terms for form in term.forms for variant in variants(form)}


def escaped(word: str) -> str:
    """The word as abbr sees it when its hyphens were written "\\-".

    The reference list is Markdown from pybtex, which escapes every "-" ("non\\-specific"). Python-
    Markdown holds an escaped character as a placeholder until after abbr has run, so abbr needs
    this spelling to find the word there (the placeholder becomes "-" again in the HTML).
    """
    return word.replace("-", f"{STX}{ord('-')}{ETX}")


def markdown_glossary(terms: list[Term]) -> dict[str, str]:
    """abbreviations(), plus the escaped spelling of every hyphenated word."""
    words = abbreviations(terms)
    return {**words, **{escaped(word): title for word, title in words.items() if "-" in word}}


def render_glossary(terms: list[Term]) -> str:
    """The Glossary page's list: each term as a <dfn>, then its definition and citations."""
    lines = []
    for term in sorted(terms, key=lambda t: t.term.lower()):
        name = term.term[0].upper() + term.term[1:]
        # The term is a label, like a heading: the readability test measures only its definition.
        lines.append(f'- <dfn id="{term.slug}" data-readability="skip">{name}</dfn>: {term.definition}')
    return "\n".join(lines) + "\n"


