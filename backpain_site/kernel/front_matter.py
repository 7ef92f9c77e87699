"""Locate front-matter fields, so a bad value can be reported as file:line.

Pure helpers shared by hooks (MkDocs 1.6 lets a hook import a sibling module).
"""
from __future__ import annotations

import os
import re
from pathlib import Path


def field_line(text: str, field: str) -> int:
    """1-based line of `field:` inside the leading YAML front matter, or 1 if it is not there."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return 1
    pattern = re.compile(rf"^{re.escape(field)}\s*:")
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            break
        if pattern.match(line):
            return number
    return 1


def located(path: str | Path, field: str, problem: str, base: str | Path | None = None) -> str:
    """'docs/x.md:3: front matter field "help_box": must be true or false'.

    `path` is read to find the line; it is shown relative to `base` (the project folder) when given.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        text = ""
    shown = os.path.relpath(path, base) if base else str(path)
    return f'{shown}:{field_line(text, field)}: front matter field "{field}": {problem}'


# MkDocs' own front-matter pattern (mkdocs.utils.meta); it also strips the blank lines after it.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def front_matter_lines(source: str) -> int:
    """How many lines MkDocs removes from the top of a page before hooks see its Markdown."""
    match = FRONT_MATTER.match(source)
    if not match:
        return 0
    rest = source[match.end():]
    return source[:match.end()].count("\n") + len(rest) - len(rest.lstrip("\n"))
