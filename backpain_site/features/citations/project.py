"""Load a project's .bib files and Markdown sources, and check them (cached between rebuilds)."""

from __future__ import annotations

import re
from pathlib import Path

from backpain_site.kernel import front_matter
from backpain_site.kernel import project as index
from backpain_site.kernel.project import SNIPPET_DIRS, shown  # noqa: F401 - named here by this feature's tools
from backpain_site.kernel.yaml_nodes import setting_line

from .bibtex import BibFile, scan_file
from .bibtex_plugin import NAME as BIBTEX_PLUGIN
from .checks import Report, Source, check
from .problems import Problem

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
    """Markdown files as the checks take them: front matter blanked out (lines keep their numbers),
    a citation written in the front matter an error at its line."""
    sources = []
    for s in read:
        if s.problem:
            sources.append(Source(s.shown, "", [s.problem]))
            continue
        front = front_matter.FRONT_MATTER.match(s.text)  # the kernel's one front-matter pattern
        problems = _front_matter_citations(front.group(0), s.shown) if front else []
        sources.append(Source(s.shown, s.body, problems))
    return sources


def load_sources(dirs: list[Path], root: Path) -> list[Source]:
    """Every Markdown file under `dirs` (tools outside a build; a build has them in build.project)."""
    return as_sources([s for folder in dirs for s in index.read_sources(folder, root)])


def check_project(
    root: Path,
    bib_paths: list[Path],
    source_dirs: list[Path],
    sources: list[index.Source] | None = None,
    config_file: Path | None = None,
) -> Report:
    """Check the project's .bib files and pages (`sources`: the pages already read, as a build has
    them; `config_file`: the site's config as MkDocs read it, root/mkdocs.yml when not given);
    formatted references are kept in .cache/references/."""
    from backpain_site.kernel.build_cache import Cache

    from .checks import format_version

    config_file = config_file or root / "mkdocs.yml"
    bibs = [load_bib(path, root) if path.exists() else _missing(path, root, config_file) for path in bib_paths]
    pages = as_sources(sources) if sources is not None else load_sources(source_dirs, root)
    return check(bibs, pages, Cache(root, "references", format_version()))


def _front_matter_citations(front: str, file: str) -> list[Problem]:
    """A citation in front matter is never rendered: "[@key]" would reach the page's description, link
    previews and search results as written. Each one is an error at its line."""
    from .markdown import find_citations

    cites, _ = find_citations(front, file)
    problems = []
    for line in sorted({c.line for c in cites}):
        field = re.match(r"\s*([\w-]+)\s*:", front.splitlines()[line - 1])
        where = f'field "{field.group(1)}"' if field else "front matter"
        written = ", ".join(dict.fromkeys(f"[@{c.key}]" for c in cites if c.line == line))
        problems.append(
            Problem(
                file,
                line,
                (
                    f"citation {written} in the front matter ({where}): it cannot become a numbered reference there, "
                    f"and readers would see it as written in the page's description, link previews and search "
                    f"results; remove it (cite in the page's text instead)"
                ),
            )
        )
    return problems


def _missing(path: Path, root: Path, config_file: Path) -> BibFile:
    """A bib_file that does not exist: one error at the line of the config file that names it."""
    line = setting_line(config_file, ("plugins", BIBTEX_PLUGIN, "bib_file"), default=0)
    bib = BibFile(shown(path, root), "")
    bib.fatal.append(
        Problem(
            shown(config_file, root),
            line,
            (
                f'the bibtex plugin\'s bib_file "{shown(path, root)}" does not exist (no file at {path}); '
                f"put the bibliography back there, or correct bib_file"
            ),
        )
    )
    bib.problems.extend(bib.fatal)
    return bib
