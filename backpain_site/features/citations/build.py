"""The citations feature: check every citation and the bibliography before building, and feed mkdocs-bibtex
only what is cited; then name, separate and list the citations on each page.

mkdocs-bibtex 4.4.0 (archived) warns about an unknown key without saying where, drops the
citation from the sentence unless --strict, crashes with a traceback on a malformed .bib, and
parses the whole library on every build. Here, before the plugin runs (config):
  * backpain_site/features/citations/checks.py reads the .bib files and every Markdown source; all problems are reported
    at once with file and line, and any error stops the build, strict or not;
  * the plugin gets only the cited entries, already read and formatted (in backpain_site/features/citations/style.py's
    style, through backpain_site/features/citations/render.py, so fields stay inert text), as its registry, and never
    reads the .bib itself: a 10,000-entry reference-manager export builds about as fast as the
    site's own file;
  * the plugin sees exactly the citations backpain_site/features/citations/markdown.py found (Pandoc's syntax), each as
    `[@key]` with a key it can read: a key with other characters (`knuth:ct:a`, `DBLP:journals/x`,
    `[@{any key}]`) is handed over under an alias (`knuth-ct-a`); every other "@" in brackets
    (e-mail addresses, code) is hidden from it and put back in the HTML; a key cited with the wrong
    case is cited as the .bib spells it (and warned about).
After the plugin, on the page's tree (cited_tree): citation marks lightened (backpain_site/features/citations/marks.py), each citation named for
screen readers (backpain_site/features/citations/labels.py); the References page's list (backpain_site/features/citations/listing.py, the
<!-- bibliography --> shortcode) and each page's "References" heading.
"""

from __future__ import annotations

from pathlib import Path

from backpain_site.features.citations import bibtex_plugin, labels, listing, marks
from backpain_site.features.citations import markdown as citation_markdown
from backpain_site.features.citations.project import SNIPPET_DIRS, check_project
from backpain_site.features.citations.render import register_pybtex_plugins
from backpain_site.kernel import BuildError


class Citations:
    name = "citations"

    def __init__(self):
        self.aliases: dict[str, str] = {}  # key as cited -> key the plugin and HTML ids use
        self.report = None
        self.names: dict[str, str] = {}  # each work's spoken name ("Maselli 2020")
        self.work_names: dict[str, str] = {}
        self.shortcodes = {"bibliography": self.bibliography}

    @property
    def entries(self):
        """The cited entries (pybtex), read once per build."""
        return self.report.bib_data.entries if self.report is not None else {}

    def config(self, build):
        plugin = bibtex_plugin.plugin_of(build.config)
        if plugin is None:
            raise BuildError("mkdocs.yml: the citations feature needs the bibtex plugin (mkdocs-bibtex)")
        register_pybtex_plugins()
        bibs = bibtex_plugin.bib_paths_from(plugin.config, build.root)
        report = check_project(
            build.root,
            bibs,
            [build.docs] + [build.root / d for d in SNIPPET_DIRS],
            build.project.sources(),
            Path(build.config.config_file_path),
        )
        if report.errors:
            raise BuildError(
                report.error_text()
                + "\n(`python -m backpain_site.features.citations check` lists these without building)"
            )
        if any(report.warnings.values()):
            from mkdocs.plugins import get_plugin_logger

            get_plugin_logger("citations").info("Reference warnings (the build goes on):\n" + report.warning_text())
        for path in bibs:  # `mkdocs serve` rebuilds when a .bib changes, even one outside docs/
            build.watch(path)
        # Hand the plugin the entries read and formatted above (bibtex_plugin.install_registry); an
        # unchanged .bib keeps the registry between `mkdocs serve` rebuilds.
        kept = build.session.cache("citations", dict)
        if report.bib_text != kept.get("bib_text"):
            entries = report.bib_data.entries
            kept.update(
                bib_text=report.bib_text,
                registry=bibtex_plugin.make_registry(report),
                names=labels.distinct_names(entries),
                work_names={key: labels.citation_name(key, entry) for key, entry in entries.items()},
            )
        self.report = report
        # Handed over to the features that check keys (studies, claims, changes): read once, here.
        build.project.bib_keys = set(report.entries)
        build.project.cited = {key: [(c.file, c.line) for c in found] for key, found in report.cited.items()}
        build.project.keys_by_alias = {alias: key for key, alias in report.aliases.items()}
        self.names = kept["names"]
        self.work_names = kept["work_names"]  # "Maselli 2020" (without the title that tells apart namesakes)
        bibtex_plugin.install_registry(plugin, kept["registry"])
        self.aliases = dict(report.aliases)
        self.aliases.update({written: report.aliases.get(real, real) for written, real in report.renames.items()})

    def keys(self):
        """Every key in the bibliography files (cited or not)."""
        return set(self.report.entries) if self.report is not None else set()

    def bibliography(self, call) -> str:
        return listing.render_bibliography(self.entries, lambda key: self.report.formatted[key])

    # The hand-over to mkdocs-bibtex and back (the pipeline's frame calls these two).
    def hand_over(self, build, page, markdown: str) -> str:
        cites, _ = citation_markdown.find_citations(markdown, page.file.src_uri)
        return citation_markdown.canonical(citation_markdown.protect(markdown), cites, self.aliases)

    def take_back(self, build, page, html: str) -> str:
        return citation_markdown.restore(html)

    def cited_markdown(self, build, page, markdown: str) -> str:
        return listing.add_references_heading(markdown)

    def cited_tree(self, build, page, root, md) -> None:
        marks.lighten(root)
        labels.label_tree(root, self.entries, self.names)
