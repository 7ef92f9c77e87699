"""Separate citation numbers that stand side by side: [1][2][3] reads "1,2,3", not "123".

mkdocs-bibtex turns `[@a; @b]` into two footnote references with nothing between them, and
Python-Markdown renders them as touching <sup> elements. CSS can't tell touching elements from
ones with text between them, so the separator is put into the HTML here.
"""
from __future__ import annotations

import re

TOUCHING = re.compile(r'</sup>(?=<sup id="fnref)')
SEPARATOR = '<sup class="citation-separator">,</sup>'


def separate_citations(html: str) -> str:
    return TOUCHING.sub("</sup>" + SEPARATOR, html)


def on_page_content(html, page, config, files):
    return separate_citations(html)
