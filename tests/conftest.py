"""Build the real site once per test session (strictly) and hand the tests its pages."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BIB = ROOT / "references.bib"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CITATION_BASE = FIXTURES / "citations" / "base"
CASES = FIXTURES / "citations" / "cases"


def run_build(project: Path, out: Path, strict: bool = True,
              site_url: str = "http://127.0.0.1:8000/") -> subprocess.CompletedProcess:
    """`mkdocs build [--strict]` of the project in `project` into `out`, as a user would run it."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "--site-dir", str(out)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


def make_project(dest: Path, case: str | None = None) -> Path:
    """A copy of the citation fixture site (the project's hooks linked in), plus one case's files.

    A case (fixtures/citations/cases/NAME) replaces references.bib and/or the whole docs/ folder;
    a case with a bib/ folder makes the site read every .bib in it (mkdocs-bibtex's bib_dir).
    """
    shutil.copytree(CITATION_BASE, dest)
    (dest / "hooks").symlink_to(ROOT / "hooks")
    if case:
        if (CASES / case / "docs").exists():
            shutil.rmtree(dest / "docs")
        shutil.copytree(CASES / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
        if (CASES / case / "bib").is_dir():
            config = dest / "mkdocs.yml"
            config.write_text(config.read_text().replace("bib_file: references.bib", "bib_dir: bib"))
    return dest


@dataclass
class Site:
    root: Path
    log: str
    returncode: int
    url: str = "http://127.0.0.1:8000/"  # the site_url it was built for (tests/browser serve it there)
    _soups: dict = field(default_factory=dict)

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def page(self, url: str) -> BeautifulSoup:
        """The parsed page at a site URL such as '' (home) or 'mechanisms/discs/'."""
        path = self.root / url / "index.html" if not url.endswith(".html") else self.root / url
        if path not in self._soups:
            self._soups[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return self._soups[path]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    # Built for a free loopback port, so the browser tests can serve this same build at its
    # site_url (Material's instant navigation only works there).
    out = tmp_path_factory.mktemp("site")
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_build(ROOT, out, site_url=url)
    return Site(root=out, log=result.stdout + result.stderr, returncode=result.returncode, url=url)


def markdown_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def page_url(md: Path) -> str:
    """Site URL of a docs page under MkDocs' directory URLs: docs/a/b.md -> 'a/b/', index.md -> ''."""
    rel = md.relative_to(DOCS).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "index":
        parts = parts[:-1]
    return "/".join(parts) + ("/" if parts else "")


def front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(match.group(1)) if match else {}


def strip_code(text: str) -> str:
    """Markdown without fenced code blocks and inline code, where nothing is a citation."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)
