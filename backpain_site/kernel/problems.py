"""One problem found in the editor's files: where it is and what is wrong. Every feature reports with
this one type (the bibliography scanner, the data files, front matter, the pages), so every message
reads `file:line: message` and sorts the same way.

    Problem("data/studies.yml", 12, 'study "x", field "design": unknown design "RCT"')
    Problem.front_matter("docs/x.md", 3, "help_box", "must be true or false")
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    file: str  # as the editor knows it, relative to the project: "references.bib", "docs/x.md"
    line: int  # 1-based; 0 when the problem is about the whole file
    message: str
    severity: str = ERROR  # ERROR stops the build; WARNING is logged and the build goes on

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line, self.message)

    @classmethod
    def front_matter(cls, file: str, line: int, field: str | None, problem: str, severity: str = ERROR) -> Problem:
        """'docs/x.md:3: front matter field "help_box": must be true or false' (no field: the whole
        front matter)."""
        where = f'front matter field "{field}"' if field else "front matter"
        return cls(file, line, f"{where}: {problem}", severity)


def listed(problems: Iterable[Problem]) -> list[str]:
    """The problems as lines, each once, in file and line order."""
    return [str(p) for p in sorted(set(problems), key=Problem.sort_key)]
