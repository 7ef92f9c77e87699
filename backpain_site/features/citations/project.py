"""Load a project's .bib files and Markdown sources, and check them (cached between rebuilds)."""
from __future__ import annotations

import re
from pathlib import Path

from .bibtex import BibFile, scan_file
from .checks import Report, Source, check
from .problems import Problem

FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.S)

_scans: dict[tuple[str, int, int], BibFile] = {}


def shown(path: Path, root: Path) -> str:
    """How messages name a file: relative to the project when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


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


def load_sources(dirs: list[Path], root: Path) -> list[Source]:
    """Every Markdown file under `dirs`, front matter blanked out (lines keep their numbers)."""
    sources = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.md")):
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError) as err:
                line = path.read_bytes()[: err.start].count(b"\n") + 1 if isinstance(err, UnicodeDecodeError) else 0
                sources.append(Source(shown(path, root), "", [Problem(shown(path, root), line, (
                    "the page is not UTF-8 text; save it as UTF-8" if line else f"cannot be read: {err}"))]))
                continue
            text = FRONT_MATTER.sub(lambda m: "\n" * m.group(0).count("\n"), text, count=1)
            sources.append(Source(shown(path, root), text))
    return sources


def check_project(root: Path, bib_paths: list[Path], source_dirs: list[Path]) -> Report:
    """Check the project's .bib files and pages; formatted references are kept in .cache/references/."""
    from backpain_site.kernel.build_cache import Cache

    from .checks import format_version
    bibs = [load_bib(path, root) for path in bib_paths]
    return check(bibs, load_sources(source_dirs, root), Cache(root, "references", format_version()))


# Markdown outside docs/ that hooks put into pages (e.g. the help box) and that may cite.
SNIPPET_DIRS = ("includes",)
