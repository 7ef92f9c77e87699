"""Load a project's data/studies.yml, checked against references.bib and the pages' citations.

The result is kept while the files are unchanged (mkdocs serve rebuilds); the studies feature
(backpain_site/features/studies/build.py) loads it at the start of every build, before any page, and keeps it for that build.
"""

from __future__ import annotations

from pathlib import Path

from backpain_site.kernel.problems import Problem, listed
from backpain_site.kernel.project import shown

from .data import StudyData, parse, uncovered

DATA_FILE = Path("data") / "studies.yml"

_cache: dict = {"stamp": None, "result": None}


def load(
    root: Path, text: str | OSError, keys: set[str], cited: dict[str, list[tuple[str, int]]]
) -> tuple[StudyData, list[Problem]]:
    """The study data and every problem with it (file:line messages), from the file's `text` (or the
    error reading it), the bibliography's `keys` and where the pages cite each key (`cited`), all read
    once per build (build.project) and handed over here; kept while they are unchanged (mkdocs serve)."""
    file = shown(root / DATA_FILE, root)
    stamp = (
        file,
        text if isinstance(text, str) else repr(text),
        tuple(sorted(keys)),
        tuple((key, tuple(where)) for key, where in sorted(cited.items())),
    )
    if stamp == _cache["stamp"]:
        return _cache["result"]
    if isinstance(text, OSError):
        result = (StudyData(file=file), [Problem(file, 0, f"cannot read the study data: {text.strerror}")])
    else:
        data, problems = parse(text, file, keys)
        if not problems:
            problems = uncovered(data, cited)
        result = (data, problems)
    _cache.update(stamp=stamp, result=result)
    return result


def error_text(problems: list[Problem]) -> str:
    lines = listed(problems)
    noun = "problem" if len(lines) == 1 else "problems"
    return f"{len(lines)} {noun} with the study data:\n  " + "\n  ".join(lines)
