"""`mkdocs serve`: show an edit (to references.bib, a page, a snippet) in well under a second.

Two delays MkDocs adds at every rebuild, neither needed here:
  * it reloads the config, which makes a new Jinja environment, which compiles Material's
    templates again (about a quarter of a rebuild of this site). A bytecode cache kept in this
    module (MkDocs does not reload hooks) compiles each template once per session; Jinja keys
    each template by name and source checksum, so an edited template is still recompiled.
  * it polls watched files every 0.5 s (watchdog's PollingObserver): 0.25 s of waiting on average.
    Watches added after this hook runs (the `watch:` list, including references.bib) poll every
    0.1 s. Polling a handful of files that often costs nothing measurable.
"""
from __future__ import annotations

from jinja2 import BytecodeCache

POLL_SECONDS = 0.1


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_cache = MemoryBytecodeCache()


def on_env(env, config, files):
    env.bytecode_cache = _cache
    return env


def on_serve(server, config, builder):
    observer = getattr(server, "observer", None)
    if observer is not None and hasattr(observer, "_timeout"):  # watchdog's BaseObserver
        observer._timeout = POLL_SECONDS
    return server
