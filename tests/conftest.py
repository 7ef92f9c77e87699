"""Build the real site once per test session (strictly) and hand the tests its pages.

Plain helpers live in helpers.py (imported here too, so `from conftest import run_build` works).
"""

from __future__ import annotations

import os

import pytest
from helpers import (  # noqa: F401  (re-exported for the test modules)
    BIB,
    CASES,
    CITATION_BASE,
    DOCS,
    FIXTURES,
    ROOT,
    TODAY,
    Site,
    free_port,
    front_matter,
    make_project,
    markdown_pages,
    page_url,
    run_build,
    run_check,
    squash,
    strip_code,
)

# Every build and check the suite runs (in this process or a subprocess) treats TODAY as today,
# so the suite passes on any date (see helpers.TODAY). Set at import, before any test runs.
os.environ["SITE_TODAY"] = TODAY
# Material's end-of-life notice is for the people running `make serve`/`make build` (the Makefile
# leaves it on); test logs are kept free of it.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    # Built for a free loopback port, so the browser tests can serve this same build at its
    # site_url (copy-link buttons and canonical links name that address).
    out = tmp_path_factory.mktemp("site")
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_build(ROOT, out, site_url=url)
    return Site(root=out, log=result.stdout + result.stderr, returncode=result.returncode, url=url)
