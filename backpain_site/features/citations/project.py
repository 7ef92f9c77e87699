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
            front = FRONT_MATTER.match(text)
            problems = _front_matter_citations(front.group(0), shown(path, root)) if front else []
            text = FRONT_MATTER.sub(lambda m: "\n" * m.group(0).count("\n"), text, count=1)
            sources.append(Source(shown(path, root), text, problems))
    return sources


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
        problems.append(Problem(file, line, (
            f"citation {written} in the front matter ({where}): it cannot become a numbered reference there, "
            f"and readers would see it as written in the page's description, link previews and search "
            f"results; remove it (cite in the page's text instead)")))
    return problems


def check_project(root: Path, bib_paths: list[Path], source_dirs: list[Path]) -> Report:
    """Check the project's .bib files and pages; formatted references are kept in .cache/references/."""
    from backpain_site.kernel.build_cache import Cache

    from .checks import format_version
    bibs = [load_bib(path, root) if path.exists() else _missing(path, root) for path in bib_paths]
    return check(bibs, load_sources(source_dirs, root), Cache(root, "references", format_version()))


def _missing(path: Path, root: Path) -> BibFile:
    """A bib_file that does not exist: one error at the mkdocs.yml line that names it."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8", errors="replace") if config.is_file() else ""
    line = next((n for n, s in enumerate(text.splitlines(), 1) if re.match(r"\s*bib_file\s*:", s)), 0)
    bib = BibFile(shown(path, root), "")
    bib.fatal.append(Problem("mkdocs.yml", line, (
        f'the bibtex plugin\'s bib_file "{shown(path, root)}" does not exist (no file at {path}); '
        f"put the bibliography back there, or correct bib_file")))
    bib.problems.extend(bib.fatal)
    return bib


# Markdown outside docs/ that hooks put into pages (e.g. the help box) and that may cite.
SNIPPET_DIRS = ("includes",)
