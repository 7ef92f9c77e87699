"""The CSP feature: after every other post_build step has written the site (the staged folder, see
backpain_site/kernel/staging.py), each page gets its Content-Security-Policy, hashed from its final
bytes (backpain_site/features/csp/__init__.py).

`mkdocs serve` checks every page the same way (an inline handler stops the rebuild) but inserts no
policy: its live reload adds an inline script to each page as it serves it, different on every
request, which no hash can allow. The policy is in every page `mkdocs build` writes (and publishes)."""

from __future__ import annotations

import logging
from pathlib import Path

from backpain_site.kernel import BuildError
from backpain_site.kernel.staging import final_name

from . import CspError, secure_site

log = logging.getLogger("mkdocs.hooks.csp")
SERVE_NOTE = (
    "Content-Security-Policy: checked, but not added while serving (live reload adds an inline "
    "script to every page); `mkdocs build` adds it"
)


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
            secure_site(site_dir, final_name(site_dir), sources, insert=not serving)
        except CspError as error:
            raise BuildError(str(error)) from None
        if serving:
            build.session.cache("csp-serve-note", lambda: log.info(SERVE_NOTE))  # once per `mkdocs serve`
