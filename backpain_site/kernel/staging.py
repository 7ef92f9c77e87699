"""A failed build never damages the last good site.

`mkdocs build` empties site_dir first and writes into it as it goes, so a build that fails (a
citation error, or --strict aborting at the very end) leaves a half-written site behind. Here the
build writes to a sibling folder (`site.building`) and swaps it in only when it succeeded; on
failure the old folder is left byte-for-byte as it was and the half-built one is removed.
`mkdocs serve` builds into its own temporary folder and is left alone.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class WarningCounter(logging.Handler):
    """Counts warnings as MkDocs' strict mode does, so we know before MkDocs aborts."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Staged:
    final: Path
    staging: Path
    counter: WarningCounter


def staging_dir(final: Path) -> Path:
    return final.with_name(final.name + ".building")


def final_name(folder: Path) -> str:
    """The site folder's name as the user knows it ('site' for the staged 'site.building')."""
    return folder.name.removesuffix(".building")


def swap_in(staging: Path, final: Path) -> None:
    """Replace `final` with `staging`; the old site is moved aside first and then deleted."""
    old = final.with_name(final.name + ".previous")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def begin(session: Any, config: Any, current: Staged | None) -> Staged | None:
    """Point the build at the staging folder (`mkdocs build` and `gh-deploy` only)."""
    if session.command not in ("build", "gh-deploy") or current is not None:
        return current
    final = Path(config.site_dir)
    staging = staging_dir(final)
    discard_folder(staging)  # left over from a build that was killed
    if session.dirty and final.is_dir():  # --dirty rewrites only changed pages: start from the old site
        shutil.copytree(final, staging)
    staged = Staged(final, staging, WarningCounter())
    logging.getLogger("mkdocs").addHandler(staged.counter)
    config.site_dir = str(staging)
    return staged


def finish(staged: Staged | None, config: Any) -> Staged | None:
    """Swap the staged site in, unless strict mode is about to abort (then on_build_error discards it)."""
    if staged is None:
        return None
    if config.strict and staged.counter.count:
        return staged
    swap_in(staged.staging, staged.final)
    logging.getLogger("mkdocs").removeHandler(staged.counter)
    return None


def discard(staged: Staged | None) -> None:
    if staged is not None:
        discard_folder(staged.staging)
        logging.getLogger("mkdocs").removeHandler(staged.counter)
    return None


def discard_folder(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
