"""Show each reference's kind of evidence: "Randomised trial · 40 adults", "Systematic review · 19 studies".

The badge (a <span class="evidence-badge">, from data/studies.yml) goes into each footnote of the
page's reference list and into each entry of the References page. The tap panel on phones
(assets/citations.js) and Material's hover tooltips copy the footnote, so they show it too.
"""
from __future__ import annotations

from studies.project import current
from studies.render import add_badges


def on_page_content(html, page, config, files):
    data = current()
    return add_badges(html, data.studies) if data else html
