"""Load a project's .bib files and Markdown sources, and check them (cached between rebuilds)."""
from __future__ import annotations

import os
from pathlib import Path

from backpain_site.kernel import project as index
from backpain_site.kernel.project import SNIPPET_DIRS, shown  # noqa: F401 - named here by this feature's tools

from .bibtex import BibFile, scan_file
from .checks import Report, Source, check

_scans: dict[tuple[str, int, int], BibFile] = {}


def load_bib(path: Path, root: Path) -> BibFile:
    """Scan a .bib file; reuse the last scan while the file is unchanged (mkdocs serve)."""
    try:
        stat = path.stat()
        stamp = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return scan_file(path, shown(path, root))
    if stamp not in _scans:
        for old in [s for s in _scans if s[0] == stamp[0]]:
            del _scans[old]
        _scans[stamp] = scan_file(path, shown(path, root))
    return _scans[stamp]


def as_sources(read: list[index.Source]) -> list[Source]:
    """Markdown files as the checks take them: front matter blanked out (lines keep their numbers)."""
    return [Source(s.shown, "", [s.problem]) if s.problem else Source(s.shown, s.body) for s in read]


def load_sources(dirs: list[Path], root: Path) -> list[Source]:
    """Every Markdown file under `dirs` (tools outside a build; a build has them in build.project)."""
    return as_sources([s for folder in dirs for s in index.read_sources(folder, root)])


def check_project(root: Path, bib_paths: list[Path], source_dirs: list[Path],
                  sources: list[index.Source] | None = None) -> Report:
    """Check the project's .bib files and pages (`sources`: the pages already read, as a build has
    them); formatted references are kept in .cache/references/."""
    from backpain_site.kernel.build_cache import Cache

    from .checks import format_version
    bibs = [load_bib(path, root) for path in bib_paths]
    pages = as_sources(sources) if sources is not None else load_sources(source_dirs, root)
    return check(bibs, pages, Cache(root, "references", format_version()))


def bib_paths_from(plugin_config, config_dir: Path) -> list[Path]:
    """The .bib files mkdocs-bibtex is configured to read (bib_file, or every .bib in bib_dir)."""
    if plugin_config.get("bib_file"):
        return [config_dir / os.path.expanduser(plugin_config["bib_file"])]
    if plugin_config.get("bib_dir"):
        return sorted((config_dir / plugin_config["bib_dir"]).rglob("*.bib"))
    return []

