"""Check data/studies.yml before any page is built; the build stops on any problem.

The file must be valid, each entry complete (design, who took part, size, length, finding,
limits; null where the evidence notes give no value), each design one of the known ones, each key
in references.bib, and every work the pages cite must have an entry. Every problem is listed at once
as `file:line: study "key", field "name": problem`. The logic is in studies/ (no MkDocs needed).
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from citations.project import SNIPPET_DIRS, bib_paths_from
from studies.project import DATA_FILE, error_text, load


def on_config(config):  # after citation_checks (priority 100): references.bib is known to be sound
    root = Path(config.config_file_path).resolve().parent
    plugin = config.plugins.get("bibtex")
    bibs = bib_paths_from(plugin.config, root) if plugin is not None else [root / "references.bib"]
    sources = [Path(config.docs_dir)] + [root / d for d in SNIPPET_DIRS]
    _, problems = load(root, bibs, sources)
    if problems:
        raise PluginError(error_text(problems))
    data_dir = str(root / DATA_FILE.parent)
    if data_dir not in config.watch:  # `mkdocs serve` rebuilds when the data change
        config.watch.append(data_dir)
    return config
