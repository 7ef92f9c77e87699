"""Words explained where they appear: one glossary (includes/glossary.md) for every page.

Each term and its other forms become Python-Markdown abbreviations (the `abbr` extension's
`glossary` option), so every page's text - including the help box and the reference list - can show
the word as <abbr title="definition">; then first_uses_only() (a tree step after abbr) keeps that
only on the word's first use in each section, as an encyclopaedia links a term once (issue 19).
docs/assets/glossary.js opens the definition on hover, tap and keyboard focus. Code is never touched
(abbr skips it) and ids/hrefs are attributes, which abbr never rewrites. The Glossary page (docs/glossary.md) lists every term where it says
<!-- glossary --> (backpain_site/features/glossary/build.py), each as a <dfn> with its definition and citations, from the same file.

A form that starts with a small letter also matches with a capital ("randomised", "Randomised");
plurals and spellings are listed on purpose with "also:" (abbr matches exact words only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown.util import ETX, HTML_PLACEHOLDER_RE, STX

from backpain_site.kernel.problems import Problem

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
    definition: str  # Markdown: plain text plus any [@key] citations
    line: int

    @property
    def title(self) -> str:
        """The definition as an abbr title: plain text, citations left out."""
        return CITATION.sub("", self.definition).strip()

    @property
    def slug(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def parse_glossary(text: str, path: str = str(SOURCE)) -> tuple[list[Term], list[Problem]]:
    """The terms in the glossary file, and every problem in it (at its line)."""
    terms: list[Term] = []
    problems: list[Problem] = []
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
            problems.append(
                Problem(path, number, "not a glossary entry; write '- **term** (also: other forms): definition'")
            )
            continue
        forms = [match["term"].strip()] + [f.strip() for f in (match["also"] or "").split(",") if f.strip()]
        definition = match["definition"].strip()
        term = Term(forms[0], tuple(forms), definition, number)
        for form in forms:
            if not FORM.match(form):
                problems.append(Problem(path, number, f'form "{form}" must start and end with a letter or digit'))
            for variant in variants(form):
                if variant.lower() in seen and seen[variant.lower()] != number:
                    problems.append(
                        Problem(path, number, f'"{form}" is already defined on line {seen[variant.lower()]}')
                    )
                    break
                seen[variant.lower()] = number
        if not term.title:
            problems.append(Problem(path, number, f'"{term.term}" has no definition'))
        elif PLAIN.search(term.title):
            problems.append(
                Problem(
                    path,
                    number,
                    f'the definition of "{term.term}" must be plain text '
                    "(no Markdown or HTML; only [@key] citations at the end)",
                )
            )
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


# A section runs from one <h2> to the next. A block shown apart from the text is a section of its
# own: "What changed on this page" (the trust feature lifts it out to sit beside the review stamp).
SECTION_HEADING = "h2"
SEPARATE_BLOCKS = frozenset({"page-changes"})
# A use inside a link is never the marked one: a tap there follows the link, so a phone would never
# show the definition.
NEVER_MARKED_INSIDE = frozenset({"a"})


def first_uses_only(root, raw_html: list[str] | tuple[str, ...] = ()) -> int:
    """Keep a glossary word's <abbr> only on its first use in each section, as an encyclopaedia links
    a term once; later uses in the section become plain text. Words are the same term when they share
    a definition ("disc", "discs"). Works on the page's element tree after the abbr extension has
    marked every use; returns how many uses it made plain.

    `raw_html` is Python-Markdown's stash (md.htmlStash.rawHtmlBlocks): a link written as HTML, such as
    a reference's web address, stays in the tree as placeholders around plain text, so the words
    between its <a> and </a> placeholders are inside a link too."""
    parents = {child: parent for parent in root.iter() for child in parent}
    in_raw_link = _inside_raw_links(root, raw_html) if raw_html else set()
    seen: set[str] = set()
    saved: list[set[str]] = []  # the section around a separate block, resumed after it
    block_ends: list = []
    plain = 0
    for el in list(root.iter()):
        while block_ends and not _inside(el, block_ends[-1], parents):
            block_ends.pop()
            seen = saved.pop()
        if el.tag == SECTION_HEADING:
            seen = set()
        elif SEPARATE_BLOCKS & set((el.get("class") or "").split()):
            block_ends.append(el)
            saved.append(seen)
            seen = set()
        elif el.tag == "abbr" and el.get("title"):
            title = el.get("title")
            if title in seen or el in in_raw_link or _inside_any(el, NEVER_MARKED_INSIDE, parents):
                _unwrap(el, parents[el])
                plain += 1
            else:
                seen.add(title)
    return plain


RAW_OPEN = re.compile(r"<a[\s>]", re.I)
RAW_CLOSE = re.compile(r"</a\s*>", re.I)


def _inside_raw_links(root, raw_html) -> set:
    """The <abbr> elements that sit between a stashed <a ...> and its </a> among their siblings."""
    inside = set()
    for parent in root.iter():
        if not any(child.tag == "abbr" for child in parent):
            continue
        depth = _raw_depth(parent.text, raw_html, 0)
        for child in parent:
            if child.tag == "abbr" and depth > 0:
                inside.add(child)
            depth = _raw_depth(child.tail, raw_html, depth)
    return inside


def _raw_depth(text, raw_html, depth: int) -> int:
    for match in HTML_PLACEHOLDER_RE.finditer(text or ""):
        index = int(match.group(1))
        block = raw_html[index] if index < len(raw_html) else ""
        if not isinstance(block, str):  # the stash also holds elements
            continue
        if RAW_OPEN.match(block):
            depth += 1
        elif RAW_CLOSE.match(block):
            depth = max(0, depth - 1)
    return depth


def _inside(el, ancestor, parents) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = parents.get(el)
    return False


def _inside_any(el, tags: frozenset, parents) -> bool:
    el = parents.get(el)
    while el is not None:
        if el.tag in tags:
            return True
        el = parents.get(el)
    return False


def _unwrap(el, parent) -> None:
    """Replace the element by its text (an <abbr> holds only text)."""
    index = list(parent).index(el)
    text = (el.text or "") + (el.tail or "")
    if index:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(el)
