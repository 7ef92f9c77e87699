"""Compiled templates kept between builds, and `mkdocs serve` showing an edit (to references.bib, a page, a snippet) in well under a second.

Two delays MkDocs adds at every rebuild, neither needed here:
  * it reloads the config, which makes a new Jinja environment, which compiles Material's
    templates again (about a quarter of a rebuild of this site). A bytecode cache kept in the
    pipeline's Session compiles each template once per process; Jinja keys
    each template by name and source checksum, so an edited template is still recompiled. The
    compiled templates are also kept in .cache/jinja/ (build_cache), so a fresh `mkdocs build`
    does not compile them again either; that folder is named after the environment's settings
    that shape compiled code, and Jinja's own header holds its bytecode and Python versions.
    Every environment the theme makes gets this cache (features that render a partial per page make
    one per page).
  * it polls watched files every 0.5 s (watchdog's PollingObserver): 0.25 s of waiting on average.
    Watches added after this hook runs (the `watch:` list, including references.bib) poll every
    0.1 s. Polling a handful of files that often costs nothing measurable.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

from backpain_site.kernel import build_cache

if TYPE_CHECKING:  # for the type checker only
    from mkdocs.livereload import LiveReloadServer

POLL_SECONDS = 0.1


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class LayeredBytecodeCache(BytecodeCache):
    """Memory first, then the folder on disk; a template compiled once is written to both."""

    def __init__(self, memory: MemoryBytecodeCache, disk: FileSystemBytecodeCache | None):
        self.memory, self.disk = memory, disk

    def load_bytecode(self, bucket: Bucket) -> None:
        self.memory.load_bytecode(bucket)
        if bucket.code is None and self.disk is not None:
            self.disk.load_bytecode(bucket)  # Jinja drops it if the source checksum differs
            if bucket.code is not None:
                self.memory.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memory.dump_bytecode(bucket)
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


def disk_cache(env: Environment, root: Path) -> FileSystemBytecodeCache | None:
    if not build_cache.enabled():
        return None
    settings = repr(
        (
            sorted(env.extensions),
            env.autoescape,
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
            env.optimized,
            sorted(env.filters),
            sorted(env.tests),
        )
    )
    folder = root / build_cache.FOLDER / "jinja" / hashlib.sha256(settings.encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def attach(env: Environment, root: Path, session: Any) -> Environment:
    """Give a Jinja environment the session's compiled templates (memory, then .cache/jinja/)."""
    memory = session.cache("jinja", MemoryBytecodeCache)
    env.bytecode_cache = LayeredBytecodeCache(memory, disk_cache(env, root))
    return env


def use_cache(config: Any, session: Any) -> None:
    """Features that render a partial (section links, share cards) ask the theme for an environment,
    and each new environment would compile its templates again: give every one the cache."""
    theme = config.theme
    make_env = theme.get_env
    root = Path(config.config_file_path).parent
    theme.get_env = lambda: attach(make_env(), root, session)


def faster_polling(server: LiveReloadServer) -> LiveReloadServer:
    observer = getattr(server, "observer", None)
    if observer is not None and hasattr(observer, "_timeout"):  # watchdog's BaseObserver
        observer._timeout = POLL_SECONDS
    return server
