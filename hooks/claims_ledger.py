"""Check data/claims.yml (the claims ledger) before any page is built; the build stops on a problem.

Each entry needs a page that exists, a claim with a number in it, keys that are in references.bib
and the evidence passage it rests on. Every problem is listed at once as `file:line: claim N, ...`.
Whether each claim is still on its page, with its citation, is checked on the built site by
tests/test_claims.py (and `python -m claims check`). The logic is in claims/ (no MkDocs needed).
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from citations.project import bib_paths_from, load_bib
from claims.ledger import LEDGER_FILE, load


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    if not (root / LEDGER_FILE).exists():  # a project without a ledger (e.g. the test fixtures)
        return config
    plugin = config.plugins.get("bibtex")
    bibs = bib_paths_from(plugin.config, root) if plugin is not None else [root / "references.bib"]
    keys = {entry.key for bib in bibs for entry in load_bib(bib, root).entries}
    _, problems = load(root, keys)
    if problems:
        raise PluginError("The claims ledger has problems:\n" + "\n".join(map(str, problems)))
    return config
