"""The plan for Material's end of life (9.x: 5 May 2027): the notice reaches the people who run
`make serve`/`make build` (only the test suite silences it), and CI's Zensical job reports page by
page what survives (.ci/zensical_report.py, checked here on two small sites)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SHOW = 'show-notice-env:\n\t@echo "[$$NO_MKDOCS_2_WARNING]"\n'


def test_the_makefile_no_longer_hides_materials_notice():
    """What `make build`/`make serve` pass to MkDocs: the Makefile itself sets no NO_MKDOCS_2_WARNING."""
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING" and not k.startswith("MAKE")}
    result = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", "-", "show-notice-env"],
        input=SHOW,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"the Makefile sets NO_MKDOCS_2_WARNING: {result.stdout.strip()}"


PAGE = """<!doctype html><html><head><meta charset="utf-8">{csp}</head><body><article><h1>{title}</h1>
{body}</article></body></html>"""


def write(site: Path, rel: str, **parts) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(**{"csp": "", "body": "", **parts}), encoding="utf-8")


def test_the_zensical_report_says_what_survived_page_by_page(tmp_path):
    mkdocs, zensical = tmp_path / "site-mkdocs", tmp_path / "site-zensical"
    write(
        mkdocs,
        "index.html",
        title="Home",
        csp='<meta http-equiv="Content-Security-Policy" content="x">',
        body='<p>Runs<sup><a class="footnote-ref" href="#a">1</a></sup>.</p><td data-label="Study">A</td>',
    )
    write(mkdocs, "share/home/index.html", title="Handout")
    write(
        zensical,
        "index.html",
        title="Home",
        body='<p>Runs [@smith2020; @jones2021].</p><!-- studies-table --><td data-label="Study">A</td>',
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "zensical_report.py"), str(mkdocs), str(zensical)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rows = {line.split(" | ")[0].strip("| "): line for line in result.stdout.splitlines() if line.startswith("| ")}
    assert rows["index.html"] == "| index.html | yes | yes | 1 → 0 | 1 | studies-table | 1 → 1 | no |"
    assert rows["share/home/index.html"].startswith("| share/home/index.html | no |")
    assert "1 of 2 pages of the MkDocs build were written by Zensical" in result.stdout


def test_the_zensical_report_names_a_missing_build(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "zensical_report.py"), str(tmp_path / "a"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path / 'a'}: no such folder (did that build run?)"
