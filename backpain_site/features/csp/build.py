"""The CSP feature: after every other post_build step has written the site (the staged folder, see
backpain_site/kernel/staging.py), each page gets its Content-Security-Policy, hashed from its final
bytes (backpain_site/features/csp/__init__.py).

`mkdocs serve` checks every page the same way (an inline handler stops the rebuild) but inserts no
policy: its live reload adds an inline script to each page as it serves it, different on every
request, which no hash can allow. The policy is in every page `mkdocs build` writes (and publishes).

Scanning a page (HTMLParser over every tag) is most of this step's time, and its result depends on
nothing but the page's text: it is kept by that text, in memory for the session (`mkdocs serve`
rescans only the pages a rebuild changed) and in `.cache/csp/` across builds, keyed with the source
of the scanner (backpain_site/features/csp/__init__.py) and the Python version (html.parser is the
standard library's). The policy itself is always made afresh from the scan."""

from __future__ import annotations

import logging
import platform
from pathlib import Path

from backpain_site.kernel import BuildError, build_cache
from backpain_site.kernel.staging import final_name

from . import CspError, PageScan, scan, scan_from_json, scan_to_json, secure_site

log = logging.getLogger("mkdocs.hooks.csp")
SERVE_NOTE = (
    "Content-Security-Policy: checked, but not added while serving (live reload adds an inline "
    "script to every page); `mkdocs build` adds it"
)


def version() -> str:
    from backpain_site.features import csp

    return f"csp {build_cache.source_of(csp)}; Python {platform.python_version()}"


class Scans:
    """`scan`, with its results kept by page text: in memory for the session, on disk across builds."""

    def __init__(self, root: str):
        self.disk = build_cache.Cache(root, "csp", version())
        self.memory: dict[str, PageScan] = {}

    def __call__(self, text: str) -> PageScan:
        key = self.disk.key(text)
        found = self.memory.get(key)
        if found is not None:
            return found
        kept = self.disk.get(text)
        if kept is not None:
            try:
                found = scan_from_json(kept)
            except (ValueError, KeyError, TypeError):
                found = None
        if found is None:
            found = scan(text)
            self.disk.put(text, scan_to_json(found))
        if len(self.memory) > 4096:  # a long `mkdocs serve` session: forget old pages' texts
            self.memory.clear()
        self.memory[key] = found
        return found


class ContentSecurityPolicy:
    name = "csp"

    def post_build(self, build) -> None:
        site_dir = Path(build.config.site_dir)
        sources = {}
        if build.files is not None:
            docs = Path(build.config.docs_dir).name
            sources = {f.dest_uri: f"{docs}/{f.src_uri}" for f in build.files.documentation_pages()}
        serving = build.session.command == "serve"
        try:
            scans = build.session.cache(f"csp scans {build.root}", lambda: Scans(str(build.root)))
            secure_site(site_dir, final_name(site_dir), sources, insert=not serving, scanner=scans)
        except CspError as error:
            raise BuildError(str(error)) from None
        if serving:
            build.session.cache("csp-serve-note", lambda: log.info(SERVE_NOTE))  # once per `mkdocs serve`
