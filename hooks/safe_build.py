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
from pathlib import Path

from mkdocs.plugins import event_priority

_state: dict = {"command": None, "dirty": False, "final": None, "staging": None, "counter": None}


class _WarningCounter(logging.Handler):
    """Counts warnings as MkDocs' strict mode does, so we know before MkDocs aborts."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def staging_dir(final: Path) -> Path:
    return final.with_name(final.name + ".building")


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


def discard(staging: Path | None) -> None:
    if staging is not None and staging.exists():
        shutil.rmtree(staging, ignore_errors=True)


def on_startup(command, dirty):
    _state.update(command=command, dirty=dirty)


@event_priority(1000)  # first: every later step writes to the staging folder
def on_config(config):
    if _state["command"] not in ("build", "gh-deploy") or _state["staging"] is not None:
        return config
    final = Path(config.site_dir)
    staging = staging_dir(final)
    discard(staging)  # left over from a build that was killed
    if _state["dirty"] and final.is_dir():  # --dirty rewrites only changed pages: start from the old site
        shutil.copytree(final, staging)
    _state.update(final=final, staging=staging, counter=_WarningCounter())
    logging.getLogger("mkdocs").addHandler(_state["counter"])
    config.site_dir = str(staging)
    return config


@event_priority(-1000)  # last: everything has been written
def on_post_build(config):
    staging, final, counter = _state["staging"], _state["final"], _state["counter"]
    if staging is None:
        return
    if config.strict and counter.count:
        return  # MkDocs aborts right after this event; on_build_error discards the staging folder
    swap_in(staging, final)
    _finish()


def on_build_error(error):
    discard(_state["staging"])
    _finish()


def _finish():
    if _state["counter"] is not None:
        logging.getLogger("mkdocs").removeHandler(_state["counter"])
    _state.update(final=None, staging=None, counter=None)
