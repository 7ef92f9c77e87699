"""Charts from the study data: `<!-- chart ID -->` in a page becomes an SVG figure.

The figure (caption citing its sources, and the same numbers as a table) is Markdown, put in before
mkdocs-bibtex numbers the citations; the SVG itself (studies/charts.py) replaces its placeholder in
the HTML, so Markdown never touches it. Changing a number in data/studies.yml changes the chart.
"""
from __future__ import annotations

import re

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from studies.charts import figure, placeholder, svg
from studies.markers import find_markers, replace_markers
from studies.project import current

try:  # imported by MkDocs from hooks/ or by the tests as a package
    from evidence_tables import where, work_names
except ImportError:  # pragma: no cover
    from hooks.evidence_tables import where, work_names

PLACEHOLDER = re.compile(r'<div class="evidence-chart__plot" data-chart="(?P<id>[^"]+)"></div>')


@event_priority(60)
def on_page_markdown(markdown, page, config, files):
    markers = find_markers(markdown, ("chart",))
    if not markers:
        return markdown
    data = current()
    names = work_names(config)
    problems = []

    def render(marker):
        chart = data.charts.get(marker.arg)
        if chart is None:
            known = ", ".join(f'"{c}"' for c in data.charts) or "none"
            problems.append(f'{where(page, marker.line)}: unknown chart "{marker.arg}" (charts in {data.file}: {known})')
            return ""
        return figure(chart, names)

    markdown = replace_markers(markdown, markers, render)
    if problems:
        raise PluginError("\n".join(problems))
    return markdown


def on_page_content(html, page, config, files):
    data = current()
    if not data or "evidence-chart__plot" not in html:
        return html

    def draw(match: re.Match) -> str:
        chart = data.charts[match["id"]]
        return placeholder(chart.id).replace("></div>", ">" + svg(chart) + "</div>")

    return PLACEHOLDER.sub(draw, html)
