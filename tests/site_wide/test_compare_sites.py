""".ci/compare_sites.py (CI compares the MkDocs and ProperDocs builds): it ignores only the known
differences (generator tag, sitemap dates) and names every other one."""

from __future__ import annotations

import gzip
import subprocess
import sys

from helpers import ROOT

SCRIPT = ROOT / ".ci" / "compare_sites.py"
PAGE = '<head><meta name="generator" content="{}"></head><body><h1>{}</h1></body>\n'
SITEMAP = "<urlset><url><loc>http://x/</loc><lastmod>{}</lastmod></url></urlset>\n"


def tree(root, generator="mkdocs-1.6.1, mkdocs-material-9.8.2", heading="Running", day="2026-12-01", extra=None):
    (root / "about").mkdir(parents=True)
    (root / "about" / "index.html").write_text(PAGE.format(generator, heading))
    (root / "sitemap.xml").write_text(SITEMAP.format(day))
    (root / "sitemap.xml.gz").write_bytes(gzip.compress(SITEMAP.format(day).encode(), mtime=hash(day) % 1000))
    if extra:
        (root / extra).write_text("x")
    return root


def compare(a, b):
    return subprocess.run([sys.executable, str(SCRIPT), str(a), str(b)], capture_output=True, text=True, timeout=60)


def test_generator_tag_and_sitemap_dates_are_ignored(tmp_path):
    result = compare(
        tree(tmp_path / "a"), tree(tmp_path / "b", generator="mkdocs-ProperDocs 1.6.7, x", day="2031-06-01")
    )
    assert result.returncode == 0 and "3 files: the two builds match" in result.stdout


def test_any_other_difference_is_named(tmp_path):
    result = compare(tree(tmp_path / "a"), tree(tmp_path / "b", heading="Runing", extra="stray.js"))
    assert result.returncode == 1
    assert "about/index.html: differs" in result.stdout
    assert '+<head><meta name="generator" content=""></head><body><h1>Runing</h1></body>' in result.stdout
    assert f"stray.js: only in {tmp_path / 'b'}" in result.stdout
