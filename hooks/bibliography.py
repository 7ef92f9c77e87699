"""The full bibliography: `<!-- bibliography -->` on a page becomes every work the site cites.

mkdocs-bibtex's own `\\full_bibliography` renders footnotes that nothing cites (dead back-links
and numbers that clash with the per-page citation numbers). This lists every cited entry instead
(the plugin holds only cited entries: see citation_checks.py),
alphabetically by first author, each with a stable id `ref-<key>` for linking.
Entries are formatted by the bibtex plugin's own registry, so the text matches the page lists.
"""
from __future__ import annotations

from typing import Callable, Iterable

from mkdocs.exceptions import PluginError
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


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    plugin = config.plugins.get("bibtex")
    if plugin is None or plugin.registry is None:
        raise PluginError(f"{page.file.src_path}: {MARKER} needs the bibtex plugin in mkdocs.yml")
    from mkdocs_bibtex.citation import Citation

    registry = plugin.registry
    listing = render_bibliography(
        registry.bib_data.entries, lambda key: registry.reference_text(Citation(key=key))
    )
    return markdown.replace(MARKER, listing)
