"""The CSP feature: after every other post_build step has written the site (the staged folder, see
backpain_site/kernel/staging.py), each page gets its Content-Security-Policy, hashed from its final
bytes (backpain_site/features/csp/__init__.py)."""
from __future__ import annotations

from pathlib import Path

from backpain_site.kernel import BuildError
from backpain_site.kernel.staging import final_name

from . import CspError, secure_site


class ContentSecurityPolicy:
    name = "csp"

    def post_build(self, build) -> None:
        site_dir = Path(build.config.site_dir)
        sources = {}
        if build.files is not None:
            docs = Path(build.config.docs_dir).name
            sources = {f.dest_uri: f"{docs}/{f.src_uri}" for f in build.files.documentation_pages()}
        try:
            secure_site(site_dir, final_name(site_dir), sources)
        except CspError as error:
            raise BuildError(str(error)) from None
