"""mkdocs-bibtex 4.4.0, and every place this project touches it (the adapter: nothing else names the plugin).

What the plugin does (pybtex mode, no csl_file): at `on_config` it reads the .bib files named by
`bib_file` or `bib_dir` into a `SimpleRegistry` (pybtex's plain style) and remembers when
(`last_configured`); at `on_page_markdown` it finds every `[...]` group with one regular expression,
reads `@key` citations in it, writes each group as footnote marks `[^KEY]` (KEY from
`footnote_format`) and appends one definition `[^KEY]: reference text` per cited work in place of
`\\bibliography` (added to every page by default). Python-Markdown's footnotes extension then numbers them.

What the project does around it (so the plugin only ever numbers and places footnotes):
  * before its on_config (hook.py, priority CONFIG_BEFORE_PLUGIN): the citations feature reads and
    checks every .bib and page itself (located messages, never a traceback), then `install_registry`
    gives the plugin a registry over the entries already read and formatted (`ParsedRegistry`) and
    sets `last_configured` to infinity, so the plugin never reads a .bib file itself;
  * before its on_page_markdown (MARKDOWN_BEFORE_PLUGIN): each citation is rewritten as
    `[@key]` with a key the plugin reads whole (PLUGIN_KEY; other keys get an alias), and every
    other "@" inside brackets or code is hidden from PLUGIN_BLOCK (features/citations/markdown.py);
  * after it (MARKDOWN_AFTER_PLUGIN): the "References" heading; on the tree, marks and labels.

Contact points, each checked against the installed plugin by tests/features/citations/test_bibtex_adapter.py:
  1. the plugin's name in mkdocs.yml (`bibtex`) and its config keys bib_file, bib_dir, footnote_format;
  2. `plugin.registry`, replaced by ParsedRegistry (a SimpleRegistry whose __init__ reads no file):
     the plugin uses its `bib_data`, `footnote_format`, `validate_citation_blocks`, `inline_text`
     and `reference_text`;
  3. `plugin.last_configured`: a .bib older than it is not read again;
  4. PLUGIN_BLOCK, the plugin's regular expression for a citation group, and PLUGIN_KEY, the keys
     it reads whole;
  5. event priorities: the plugin's on_config and on_page_markdown run at MkDocs' default (0);
  6. the footnotes it writes: `[^KEY]` marks and `[^KEY]: text` definitions;
  7. the last steps of SimpleRegistry.reference_text (`finish_reference`), which render.py repeats.

Nothing here imports MkDocs or the plugin at module level: feature logic loads without them.
"""

from __future__ import annotations

import functools
import math
import os
import re
from pathlib import Path

NAME = "bibtex"  # as mkdocs.yml's plugins: list names it (its entry point)

# The plugin's CITATION_BLOCK_REGEX (mkdocs_bibtex/citation.py): every "[...]" group, shortest first.
PLUGIN_BLOCK = re.compile(r"\[(.*?)\]")
# Keys the plugin (its CITATION_REGEX `@(?P<key>[\w-]+)`) and HTML ids take whole (ASCII kept here).
PLUGIN_KEY = re.compile(r"[A-Za-z0-9_-]+")

# hook.py's priorities around the plugin's events (MkDocs runs higher first; the plugin's are 0).
PLUGIN_PRIORITY = 0
CONFIG_BEFORE_PLUGIN = 100
MARKDOWN_BEFORE_PLUGIN = 50
MARKDOWN_AFTER_PLUGIN = -50


def plugin_of(config):
    """The configured mkdocs-bibtex plugin, or None."""
    return config.plugins.get(NAME)


def bib_paths_from(plugin_config, config_dir: Path) -> list[Path]:
    """The .bib files the plugin is configured to read (bib_file, or every .bib in bib_dir)."""
    if plugin_config.get("bib_file"):
        return [config_dir / os.path.expanduser(plugin_config["bib_file"])]
    if plugin_config.get("bib_dir"):
        return sorted((config_dir / plugin_config["bib_dir"]).rglob("*.bib"))
    return []


def bib_paths(config, root: Path) -> list[Path]:
    """The site's .bib files: the plugin's, or references.bib in a test site without the plugin."""
    plugin = plugin_of(config)
    return bib_paths_from(plugin.config, root) if plugin is not None else [root / "references.bib"]


def finish_reference(text: str) -> str:
    """The last steps of SimpleRegistry.reference_text on pybtex's Markdown output."""
    text = text.replace("\n", " ")
    return text.replace("\\(", "(").replace("\\)", ")").replace("\\.", ".")


@functools.cache
def registry_class():
    """ParsedRegistry, made on first use (so that importing this module needs no mkdocs-bibtex)."""
    from mkdocs_bibtex.registry import SimpleRegistry

    class ParsedRegistry(SimpleRegistry):
        """mkdocs-bibtex's pybtex-mode registry over entries already read and formatted by the checks.

        SimpleRegistry would read the file again and format each entry again at every citation, in
        pybtex's plain style with every author listed and any `url` (even javascript:) made a link.
        """

        def __init__(self, report, footnote_format: str = "{key}"):  # no super(): it would parse the file
            self.bib_data = report.bib_data
            self.formatted = report.formatted
            self.footnote_format = footnote_format

        def reference_text(self, citation) -> str:
            return self.formatted[citation.key]

    return ParsedRegistry


def make_registry(report):
    """A registry over the checked report's entries (kept between `mkdocs serve` rebuilds)."""
    return registry_class()(report)


def install_registry(plugin, registry) -> None:
    """Give the plugin this registry, in its configured footnote format, and stop it reading .bib files:
    it re-reads them only when one is newer than `last_configured`, here never."""
    registry.footnote_format = plugin.config["footnote_format"]
    plugin.registry = registry
    plugin.last_configured = math.inf
