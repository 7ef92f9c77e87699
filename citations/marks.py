"""Lighter citation markup, after Markdown has turned citations into footnotes.

* Citation numbers that stand side by side: [1][2][3] reads "1,2,3", not "123". mkdocs-bibtex turns
  `[@a; @b]` into two footnote references with nothing between them, and Python-Markdown renders
  them as touching <sup> elements. CSS can't tell touching elements from ones with text between
  them, so the separator is put into the HTML here.
* One back-link per reference-list entry. Python-Markdown gives an entry one "↩" per citation of
  it (46 for the trial on its own page); the first leads back to the first citation and the
  browser's Back button returns to where the reader was. The others only weigh on a phone: on a
  long page they were about 150 of the page's 1,700 elements.
* The reference list stays out of the search index (`data-search-exclude`, Material's search):
  every page's list repeated the References page, and the index is downloaded on every first view.
"""
from __future__ import annotations

import re

TOUCHING = re.compile(r'</sup>(?=<sup id="fnref)')
SEPARATOR = '<sup class="citation-separator">,</sup>'
BACKREF = r'<a class="footnote-backref" [^>]*>&#8617;</a>'
MORE_BACKREFS = re.compile(f"(?<=&#8617;</a>)(?:{BACKREF})+")
FOOTNOTES = '<div class="footnote">'
UNSEARCHED_FOOTNOTES = '<div class="footnote" data-search-exclude>'


def separate_citations(html: str) -> str:
    return TOUCHING.sub("</sup>" + SEPARATOR, html)


def one_back_link(html: str) -> str:
    """Keep the first back-link of each reference-list entry."""
    return MORE_BACKREFS.sub("", html)


def lighten(html: str) -> str:
    return one_back_link(separate_citations(html)).replace(FOOTNOTES, UNSEARCHED_FOOTNOTES)
