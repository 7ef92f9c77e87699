"""The reference lists: the References page's full list, and the heading above each page's list.

The full bibliography: `<!-- bibliography -->` on a page becomes every work the site cites.

mkdocs-bibtex's own `\\full_bibliography` renders footnotes that nothing cites (dead back-links
and numbers that clash with the per-page citation numbers). This lists every cited entry instead
(the plugin holds only cited entries: see backpain_site/features/citations/build.py),
alphabetically by first author, each with a stable id `ref-<key>` for linking.
Entries are formatted once (backpain_site/features/citations/checks.py), the same text the plugin shows in the page lists.

The heading: mkdocs-bibtex turns citations into footnotes; Python-Markdown renders footnotes as an
untitled list after the page body. After the plugin, a heading "References" (id #references) goes in
front of the first footnote definition, so the heading is the page's last section and the list
follows it. Pages without citations are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.richtext import Text

# An instance, not render_as("text"): that looks the backend up through importlib.metadata on every
# call (about 10 ms each; a quarter of the whole build for 27 entries).
PLAIN_TEXT = TextBackend()

MARKER = "<!-- bibliography -->"


def sort_key(key: str, entry) -> tuple[str, str, str]:
    """(first author's surname, year, key), plain lower-case text; works for {Institution} authors."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    surname = " ".join(people[0].prelast_names + people[0].last_names) if people else entry.fields.get("title", key)
    plain = Text.from_latex(surname).render(PLAIN_TEXT).lower()
    return (plain, entry.fields.get("year", ""), key)


def render_bibliography(entries: dict, format_entry: Callable[[str], str]) -> str:
    """An HTML list (Markdown inside each item, via md_in_html) of all entries, sorted."""
    keys: Iterable[str] = sorted(entries, key=lambda k: sort_key(k, entries[k]))
    items = [f'<li id="ref-{key}" markdown="span">{format_entry(key)}</li>' for key in keys]
    return '<ul class="bibliography" markdown>\n' + "\n".join(items) + "\n</ul>"


HEADING = "## References { #references }"
FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:", re.M)


def add_references_heading(markdown: str) -> str:
    match = FOOTNOTE_DEFINITION.search(markdown)
    if match is None:
        return markdown
    start = match.start()
    return markdown[:start].rstrip("\n") + "\n\n" + HEADING + "\n\n" + markdown[start:]
