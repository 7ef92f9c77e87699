"""Render a reference as inert text: nothing in a BibTeX field becomes markup or script.

Each cited entry is formatted once, here, while the checks run (mkdocs-bibtex formatted it again at
every citation); an entry pybtex cannot format becomes a located error instead of a dropped footnote.

pybtex's Markdown backend already escapes HTML and Markdown in field text, but writes any `url`
(even `javascript:...`) into a live Markdown link. Links here are http(s) only; anything else is
shown as plain text. (The checks already stop a build with a non-web url; this is the second lock.)
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote

from pybtex.backends.markdown import Backend as MarkdownBackend

from .bibtex_plugin import finish_reference
from .latex import ITALIC_OFF, ITALIC_ON, LINK

WEB = re.compile(r"https?://[^\s\"'`]+\Z")
# Characters a link may keep as they are; anything else (e.g. the < > of old DOIs) is %-encoded.
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


class SafeBackend(MarkdownBackend):
    def format_href(self, url, text, external=False):
        if not text:
            return ""
        if not WEB.match(url):
            return text
        return f'<a href="{html.escape(quote(url, safe=URL_SAFE), quote=True)}">{text}</a>'


def format_reference(entry, style=None) -> str:
    """One entry as the reader sees it (Markdown with inline links), in the site's style.

    The last steps are those of mkdocs-bibtex's SimpleRegistry.reference_text, which this replaces.
    """
    from .style import ReaderStyle

    style = style or ReaderStyle()
    text = finish_reference(style.format_entry("", entry).text.render(SafeBackend()))
    text = text.replace(ITALIC_ON, "<em>").replace(ITALIC_OFF, "</em>")
    return LINK.sub(_link, text)


def _link(m: re.Match) -> str:
    """A `\\href`/`\\url` from a field (latex.py's LINK markers): a link when it is a web address."""
    url = bytes.fromhex(m.group(1)).decode("utf-8", "replace")
    return SafeBackend().format_href(url, m.group(2))


@functools.cache  # once per process: registering scans the installed packages' entry points too
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
