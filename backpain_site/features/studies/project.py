"""Load a project's data/studies.yml, checked against references.bib and the pages' citations.

The result is kept while the files are unchanged (mkdocs serve rebuilds); the studies feature
(backpain_site/features/studies/build.py) loads it at the start of every build, before any page, and keeps it for that build.
"""
from __future__ import annotations

from pathlib import Path

from backpain_site.features.citations.markdown import find_citations
from backpain_site.features.citations.problems import Problem
from backpain_site.features.citations.project import load_bib, load_sources, shown

from .data import StudyData, parse, uncovered

DATA_FILE = Path("data") / "studies.yml"

_cache: dict = {"stamp": None, "result": None}


def _stamp(paths: list[Path]) -> tuple:
    out = []
    for path in paths:
        try:
            stat = path.stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def cited_keys(source_dirs: list[Path], root: Path) -> dict[str, list[tuple[str, int]]]:
    """Every key the Markdown cites, with where: {key: [(file, line), ...]} in file order."""
    cited: dict[str, list[tuple[str, int]]] = {}
    for source in load_sources(source_dirs, root):
        for citation in find_citations(source.text, source.file)[0]:
            cited.setdefault(citation.key, []).append((citation.file, citation.line))
    return cited


def load(root: Path, bib_paths: list[Path], source_dirs: list[Path], keys: set[str] | None = None,
         cited: dict[str, list[tuple[str, int]]] | None = None) -> tuple[StudyData, list[Problem]]:
    """The study data and every problem with it (file:line messages); cached while nothing changed.

    The build passes the bibliography's `keys` and the pages' `cited` keys the citations feature has
    already read, so neither is read again here; `python -m` tools and tests leave them out."""
    path = root / DATA_FILE
    md_files = sorted(p for d in source_dirs if d.is_dir() for p in d.rglob("*.md"))
    stamp = _stamp([path, *bib_paths, *md_files])
    if stamp == _cache["stamp"]:
        return _cache["result"]
    file = shown(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        result = (StudyData(file=file), [Problem(file, 0, f"cannot read the study data: {err.strerror}")])
    else:
        if keys is None:
            keys = {entry.key for bib in bib_paths for entry in load_bib(bib, root).entries}
        data, problems = parse(text, file, keys)
        if not problems:
            problems = uncovered(data, cited if cited is not None else cited_keys(source_dirs, root))
        result = (data, problems)
    _cache.update(stamp=stamp, result=result)
    return result


def error_text(problems: list[Problem]) -> str:
    lines = [str(p) for p in sorted(set(problems), key=Problem.sort_key)]
    noun = "problem" if len(lines) == 1 else "problems"
    return f"{len(lines)} {noun} with the study data:\n  " + "\n  ".join(lines)
