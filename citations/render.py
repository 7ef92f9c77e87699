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
