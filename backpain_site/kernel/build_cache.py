"""Results that are slow to compute and never change for the same input, kept on disk in `.cache/`.

A value is stored under a key made from *everything that decides it*: the input itself (a URL, a
page's text) and the versions of the code that computes it (the library's version, the source of
the function). Change any of them and the key changes, so an old entry is simply never found
again: a stale cache cannot change what the build writes. Entries are written to a temporary file
and renamed into place, so a build that is stopped half way leaves no half-written entry; an
unreadable entry counts as missing. Delete `.cache/` at any time (`make clean` does).

    cache = Cache(project_root, "qr", version="segno 1.6.6")
    svg = cache.get_or_make(url, lambda: make_svg(url))
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

FOLDER = ".cache"
# Set to 0 (or "off") to build without reading or writing any cache, e.g. to compare outputs.
SWITCH = "SITE_BUILD_CACHE"


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip().lower() not in ("0", "off", "no", "false")


def source_of(*objects: Any) -> str:
    """A fingerprint of the code of these functions, classes or modules (part of a cache version)."""
    digest = hashlib.sha256()
    for obj in objects:
        digest.update(inspect.getsource(obj).encode("utf-8"))
    return digest.hexdigest()[:16]


class Cache:
    """One kind of cached result (`namespace`), under `root/.cache/namespace/`."""

    def __init__(self, root: Path | str, namespace: str, version: str):
        self.folder = Path(root) / FOLDER / namespace
        self.version = version
        self.on = enabled()
        self.hits = 0
        self.misses = 0

    def key(self, text: str) -> str:
        digest = hashlib.sha256()
        digest.update(self.version.encode("utf-8"))
        digest.update(b"\0")
        digest.update(text.encode("utf-8"))
        return digest.hexdigest()

    def path(self, text: str) -> Path:
        key = self.key(text)
        return self.folder / key[:2] / key[2:]

    def get(self, text: str) -> str | None:
        if not self.on:
            return None
        try:
            return self.path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, text: str, value: str) -> None:
        if not self.on:
            return
        path = self.path(text)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, delete=False, prefix=".tmp-"
            ) as handle:
                handle.write(value)
            os.replace(handle.name, path)
        except OSError:
            pass  # a read-only or full disk only costs speed, never a build

    def get_or_make(self, text: str, make: Callable[[], str]) -> str:
        value = self.get(text)
        if value is None:
            self.misses += 1
            value = make()
            self.put(text, value)
        else:
            self.hits += 1
        return value
