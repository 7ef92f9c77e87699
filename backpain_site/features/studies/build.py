"""The studies feature: data/studies.yml checked before any page, then built into the pages.

Checked (config): the file must be valid, each entry complete (design, who took part, size, length,
finding, limits; null where the evidence notes give no value), each design one of the known ones,
each key in references.bib, and every work the pages cite must have an entry. Every problem is
listed at once as `file:line: study "key", field "name": problem` (backpain_site/features/studies/project.py, data.py).

Shortcodes (before mkdocs-bibtex, so what they write may cite):
    <!-- studies-table -->            the works the page cites (in order of first citation: design and
                                      size, who took part, length, main finding, known limits), with
                                      their key numbers in a "For clinicians" block
    <!-- trial-card asteroid -->      a trial's card
    <!-- certainty asteroid-pain -->  how sure the site team is about a main finding
    <!-- chart prevalence -->         a chart: its table and caption as Markdown, the SVG put into its
                                      place in the tree step (Markdown never sees it)
    <!-- figure neason2025running/average-pain -->  one figure in the main text, rounded by the one
                                      rule (render.py rounded_text): "15 points"
    <!-- result alzahrani2019association/cohort-medium -->  one result exactly, with its interval
                                      (a table cell): "0.90 (0.85 to 0.96)"
    <!-- figure-table neason2025fears -->  a work's results with their intervals and p values (table)
A figure printed by a shortcode is marked (<span class="study-figure">); every other number on a page
is checked against a record by the claims feature (backpain_site/features/claims/figures.py).
On the page's tree (cited_tree): each cited work's evidence badge in the reference lists, added
before the glossary marks its words; each chart's SVG into its place (backpain_site/features/studies/render.py, charts.py).
"""

from __future__ import annotations

from types import SimpleNamespace
from xml.etree.ElementTree import Element

from backpain_site.features.citations import bib_keys, cited, cited_in
from backpain_site.kernel import BuildError
from backpain_site.kernel.roles import HOW_WE_MAKE
from backpain_site.kernel.shortcodes import ShortcodeProblem

from .charts import figure, svg
from .project import DATA_FILE, error_text, load
from .render import (
    add_badges,
    certainty_note,
    estimate_text,
    figure_span,
    figure_table,
    rounded_text,
    studies_table,
    trial_card,
)


class Studies:
    name = "studies"

    def __init__(self):
        self.data = None
        self.names: dict[str, str] = {}
        self.badges: dict[str, Element] = {}  # key -> badge element, made once per build
        self.keys: dict[str, str] = {}  # alias (HTML id) -> .bib key
        self.shortcodes = {
            "studies-table": self.table,
            "trial-card": self.trial,
            "certainty": self.certainty,
            "chart": self.chart,
            "figure": self.figure,
            "result": self.result,
            "figure-table": self.figure_table,
        }

    def config(self, build):
        try:
            text = build.project.data_text(DATA_FILE)
        except OSError as err:
            text = err
        # The bibliography's keys and where the pages cite them: read once, by the citations feature.
        data, problems = load(build.root, text, bib_keys(build), cited(build))
        if problems:
            raise BuildError(error_text(problems))
        self.data = data
        citations = build.feature("citations")
        # Citations name works and HTML ids by the key's alias (knuth-ct-a for knuth:ct:a); this data
        # file uses the .bib key: map both back to it.
        self.keys = build.project.keys_by_alias or {}
        self.names = (
            {self.keys.get(alias, alias): name for alias, name in citations.work_names.items()} if citations else {}
        )
        self.build = build
        build.watch(build.root / DATA_FILE.parent)  # `mkdocs serve` rebuilds when the data change

    # --- shortcodes ---------------------------------------------------------------------------
    def table(self, call) -> str:
        if call.arg:
            raise ShortcodeProblem(f'<!-- studies-table --> takes no id, not "{call.arg}"')
        keys = list(dict.fromkeys(key for key, _ in cited_in(call.markdown)))
        if not keys:
            raise ShortcodeProblem("<!-- studies-table --> on a page that cites nothing")
        return studies_table(keys, self.data, self.names)

    def _named(self, table: dict, call, kind: str, marker: bool = True):
        """The finding, trial or chart the shortcode names; an unknown id names the ones there are."""
        item = table.get(call.arg)
        if item is None:
            known = ", ".join(f'"{name}"' for name in table) or "none"
            inside = f" in <!-- {call.name} -->" if marker else ""
            raise ShortcodeProblem(f'unknown {kind} "{call.arg}"{inside} ({kind}s in {self.data.file}: {known})')
        return item

    def certainty(self, call) -> str:
        finding = self._named(self.data.findings, call, "finding")
        # A link to the certainty section of "How we make this site", when the site has that page.
        how = f"/{HOW_WE_MAKE}#certainty" if self.build.files.get_file_from_path(HOW_WE_MAKE) is not None else None
        return certainty_note(finding, how)

    def trial(self, call) -> str:
        return trial_card(self._named(self.data.trials, call, "trial"), self.names)

    def figure(self, call) -> str:
        _, number = self._number(call)
        return figure_span(call.arg, rounded_text(number))

    def result(self, call) -> str:
        _, number = self._number(call)
        if number.value is None:
            raise ShortcodeProblem(f'"{call.arg}" is a range; <!-- result --> prints a value and its interval')
        return figure_span(call.arg, estimate_text(number, unit=False))

    def figure_table(self, call) -> str:
        study = self._study(call)
        if not any(n.value is not None and (n.ci or n.p) for n in study.numbers):
            raise ShortcodeProblem(
                f'study "{call.arg}" has no result with an interval or a p value in '
                f"{self.data.file} (<!-- figure-table --> prints those)"
            )
        # Written inside a "For clinicians" box, the table keeps the box's indent on every line.
        line = call.markdown.split("\n")[call.line - 1]
        indent = line[: len(line) - len(line.lstrip())]
        return figure_table(call.arg, study).replace("\n", "\n" + indent).rstrip(" ")

    def _study(self, call):
        study = self.data.studies.get(call.arg)
        if study is None:
            raise ShortcodeProblem(f'<!-- {call.name} --> needs a study key from {self.data.file}, not "{call.arg}"')
        return study

    def _number(self, call):
        """The study number a "studykey/number-id" argument names; a wrong one names those there are."""
        key, _, number_id = call.arg.partition("/")
        if not number_id:
            raise ShortcodeProblem(f'<!-- {call.name} --> takes "studykey/number-id", not "{call.arg}"')
        study = self._study(SimpleNamespace(name=call.name, arg=key))
        number = study.number(number_id)
        if number is None:
            known = ", ".join(f'"{n.id}"' for n in study.numbers) or "none"
            raise ShortcodeProblem(
                f'study "{key}" has no number "{number_id}" in {self.data.file} (its numbers: {known})'
            )
        if number.value is None and number.range is None:
            raise ShortcodeProblem(f'"{call.arg}" has no value to print')
        return key, number

    def chart(self, call) -> str:
        return figure(self._named(self.data.charts, call, "chart", marker=False), self.names)

    # --- pages ---------------------------------------------------------------------------------
    def cited_tree(self, build, page, root, md) -> None:
        add_badges(root, self.data.studies, self.badges, self.keys)
        for plot in root.iter("div"):  # each chart's place (backpain_site/features/studies/charts.py placeholder())
            if plot.get("class") == "evidence-chart__plot" and plot.get("data-chart") in self.data.charts:
                plot.text = md.htmlStash.store(svg(self.data.charts[plot.get("data-chart")]))
