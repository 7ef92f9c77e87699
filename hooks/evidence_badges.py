"""Show each reference's kind of evidence: "Randomised trial · 40 adults", "Systematic review · 19 studies".

The badge (a <span class="evidence-badge">, from data/studies.yml) goes into each footnote of the
page's reference list and into each entry of the References page. Glossary words in it ("Randomised")
carry their definitions, like words in the Markdown. The tap panel on phones
(assets/citations.js) and Material's hover tooltips copy the footnote, so they show it too.
"""
from __future__ import annotations

from studies.project import current
from studies.render import add_badges


def glossary_words(config) -> dict[str, str]:
    """The glossary's word -> definition map, as hooks/glossary.py gave it to the abbr extension
    (without its escaped-hyphen spellings, which only exist inside Python-Markdown)."""
    words = config.mdx_configs.get("abbr", {}).get("glossary", {})
    return {word: text for word, text in words.items() if "\x02" not in word}


def on_page_content(html, page, config, files):
    data = current()
    return add_badges(html, data.studies, glossary_words(config)) if data else html
