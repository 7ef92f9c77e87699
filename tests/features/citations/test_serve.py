"""`mkdocs serve` rebuilds when the .bib changes, though it lies outside docs/ and mkdocs.yml does not
list it under `watch:` (the fixture's doesn't; the citation layer adds every .bib it reads)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from conftest import free_port, make_project


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_serve_rebuilds_when_references_bib_changes(tmp_path):
    project = make_project(tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "Running in the ASTEROID trial" in fetch(url), 60), "the server never served the page"
        bib = project / "references.bib"
        bib.write_text(bib.read_text().replace("Running in the {ASTEROID} trial", "Edited while serving"))
        assert wait_for(lambda: "Edited while serving" in fetch(url), 15), "the page did not change"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    assert server.poll() is not None
