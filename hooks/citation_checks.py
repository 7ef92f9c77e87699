"""Check every citation and the bibliography before building, and feed mkdocs-bibtex only what is cited.

mkdocs-bibtex 4.4.0 (archived) warns about an unknown key without saying where, drops the
citation from the sentence unless --strict, crashes with a traceback on a malformed .bib, and
parses the whole library on every build. Here, before the plugin runs:
  * citations/checks.py reads the .bib files and every Markdown source; all problems are reported
    at once with file and line, and any error stops the build, strict or not;
  * the plugin gets only the cited entries, already read and formatted (in citations/style.py's
    style, through citations/render.py, so fields stay inert text), as its registry, and never
    reads the .bib itself: a 10,000-entry reference-manager export builds about as fast as the
    site's own file;
  * the plugin sees exactly the citations citations/markdown.py found (Pandoc's syntax), each as
    `[@key]` with a key it can read: a key with other characters (`knuth:ct:a`, `DBLP:journals/x`,
    `[@{any key}]`) is handed over under an alias (`knuth-ct-a`); every other "@" in brackets
    (e-mail addresses, code) is hidden from it and put back in the HTML; a key cited with the wrong
    case is cited as the .bib spells it (and warned about).
"""
from __future__ import annotations

import math
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs_bibtex.registry import SimpleRegistry

from citations import markdown as citation_markdown
from citations.project import SNIPPET_DIRS, bib_paths_from, check_project
from citations.render import register_pybtex_plugins

log = get_plugin_logger("citations")

_aliases: dict[str, str] = {}  # key as cited -> key the plugin and HTML ids use
_last: dict = {"bib_text": None, "registry": None}


class ParsedRegistry(SimpleRegistry):
    """mkdocs-bibtex's pybtex-mode registry over entries already read and formatted by the checks.

    SimpleRegistry would read the file again and format each entry again at every citation, in
    pybtex's plain style with every author listed and any `url` (even javascript:) made a link.
    """

    def __init__(self, report):  # noqa: D107 - no super(): it would parse the file again
        self.bib_data = report.bib_data
        self.formatted = report.formatted

    def reference_text(self, citation) -> str:
        return self.formatted[citation.key]


@event_priority(100)  # before mkdocs-bibtex's on_config
def on_config(config):
    plugin = config.plugins.get("bibtex")
    if plugin is None:
        raise PluginError("hooks/citation_checks.py needs the bibtex plugin (mkdocs-bibtex) in mkdocs.yml")
    register_pybtex_plugins()
    root = Path(config.config_file_path).resolve().parent
    bibs = bib_paths_from(plugin.config, root)
    report = check_project(root, bibs, [Path(config.docs_dir)] + [root / d for d in SNIPPET_DIRS])
    if report.errors:
        raise PluginError(report.error_text() + "\n(`python -m citations check` lists these without building)")
    if any(report.warnings.values()):
        log.info("Reference warnings (the build goes on):\n" + report.warning_text())

    for path in bibs:  # `mkdocs serve` rebuilds when a .bib changes, even one outside docs/
        if str(path) not in config.watch:
            config.watch.append(str(path))

    # Hand the plugin the entries read and formatted above; an unchanged .bib keeps the registry
    # between `mkdocs serve` rebuilds. The plugin re-reads its bib files only when one is newer than
    # `last_configured`: never, so it never replaces this registry with one of its own.
    if report.bib_text != _last["bib_text"]:
        _last.update(bib_text=report.bib_text, registry=ParsedRegistry(report))
    plugin.registry = _last["registry"]
    plugin.registry.footnote_format = plugin.config["footnote_format"]
    plugin.last_configured = math.inf
    _aliases.clear()
    _aliases.update(report.aliases)
    _aliases.update({written: report.aliases.get(real, real) for written, real in report.renames.items()})
    return config


@event_priority(10)  # after help_box (50) adds its citations, before mkdocs-bibtex (0)
def on_page_markdown(markdown, page, config, files):
    cites, _ = citation_markdown.find_citations(markdown, page.file.src_uri)
    return citation_markdown.canonical(citation_markdown.protect(markdown), cites, _aliases)


def on_page_content(html, page, config, files):
    return citation_markdown.restore(html)
