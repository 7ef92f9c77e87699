"""Render a reference as inert text: nothing in a BibTeX field becomes markup or script.

pybtex's Markdown backend already escapes HTML and Markdown in field text, but writes any `url`
(even `javascript:...`) into a live Markdown link. Links here are http(s) only; anything else is
shown as plain text. (The checks already stop a build with a non-web url; this is the second lock.)
"""
from __future__ import annotations

import html
import re

from pybtex.backends.markdown import Backend as MarkdownBackend

WEB = re.compile(r"https?://[^\s\"'<>`]+\Z")


class SafeBackend(MarkdownBackend):
    def format_href(self, url, text, external=False):
        if not text:
            return ""
        if not WEB.match(url):
            return text
        return f'<a href="{html.escape(url, quote=True)}">{text}</a>'


def cache_reference_text(registry) -> None:
    """Format each entry once per registry (mkdocs-bibtex formats it again at every citation)."""
    if getattr(registry, "_cached_reference_text", False):
        return
    format_once = registry.reference_text
    cache: dict[str, str] = {}

    def reference_text(citation):
        if citation.key not in cache:
            cache[citation.key] = format_once(citation)
        return cache[citation.key]

    registry.reference_text = reference_text
    registry._cached_reference_text = True


def register_pybtex_plugins() -> None:
    """Give pybtex the classes it would otherwise look up in importlib.metadata at every use.

    pybtex finds its parser, name/label/sorting styles and backends through entry points, and each
    lookup scans every installed package (about 10 ms here): a tenth of the whole build for this
    site. Registering the same classes as runtime plugins makes each lookup a dict access.
    """
    from pybtex.backends.plaintext import Backend as PlainTextBackend
    from pybtex.database.input.bibtex import Parser
    from pybtex.plugin import register_plugin
    from pybtex.style.labels.number import LabelStyle
    from pybtex.style.names.plain import NameStyle
    from pybtex.style.sorting.none import SortingStyle

    for group, name, klass in (
        ("pybtex.database.input", "bibtex", Parser),
        ("pybtex.database.input.suffixes", ".bib", Parser),
        ("pybtex.style.names", "plain", NameStyle),
        ("pybtex.style.labels", "number", LabelStyle),
        ("pybtex.style.sorting", "none", SortingStyle),
        ("pybtex.backends", "markdown", MarkdownBackend),
        ("pybtex.backends", "plaintext", PlainTextBackend),
        ("pybtex.backends.aliases", "text", PlainTextBackend),
    ):
        register_plugin(group, name, klass, force=True)
