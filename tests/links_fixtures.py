"""Fixture sites for the published-link tests (tests/fixtures/links): base site + one case."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT

LINKS_BASE = FIXTURES / "links" / "base"
LINKS_CASES = FIXTURES / "links" / "cases"


def make_links_project(dest: Path, case: str | None = None) -> Path:
    """A copy of the links fixture site with the project's code (backpain_site/) and stylesheet, plus one case.

    A case's moves.txt ("docs/a.md -> docs/b/a.md" per line) moves files first; then its other
    files replace the base's (expected.txt and moves.txt are not copied).
    """
    shutil.copytree(LINKS_BASE, dest)
    (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
    (dest / "docs" / "assets").mkdir()
    shutil.copy(ROOT / "docs" / "assets" / "site.css", dest / "docs" / "assets" / "site.css")
    if case:
        moves = LINKS_CASES / case / "moves.txt"
        if moves.exists():
            for line in moves.read_text(encoding="utf-8").splitlines():
                old, new = (part.strip() for part in line.split("->"))
                (dest / new).parent.mkdir(parents=True, exist_ok=True)
                (dest / old).rename(dest / new)
        shutil.copytree(
            LINKS_CASES / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt", "moves.txt")
        )
    return dest
