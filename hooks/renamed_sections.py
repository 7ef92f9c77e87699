"""Renamed section ids keep resolving: links already sent with the old id still land on the section.

The old -> new ids are data (data/renamed-sections.yml, read in on_config so `mkdocs serve` picks
up edits); published_links/renames.py does the work. Every problem (bad YAML, an unknown page, a
new id no heading has, an old id still in use) stops the build as file:line, all at once.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from published_links.contract import RENAMES_FILE
from published_links.renames import add_old_anchors, parse_renames

_state: dict = {"renames": {}, "problems": [], "source": str(RENAMES_FILE)}


def on_config(config):
    path = Path(config.config_file_path).parent / RENAMES_FILE
    renames, problems = [], []
    if path.is_file():
        renames, problems = parse_renames(path.read_text(encoding="utf-8"), str(RENAMES_FILE))
    by_page: dict[str, list] = {}
    for rename in renames:
        by_page.setdefault(rename.page, []).append(rename)
    _state.update(renames=by_page, problems=problems)
    return config


def on_files(files, config):
    for page, renames in _state["renames"].items():
        if files.get_file_from_path(page) is None:
            _state["problems"].append(f"{RENAMES_FILE}:{renames[0].page_line}: {page}: no such page in docs/")
    return files


def on_page_content(html, page, config, files):
    renames = _state["renames"].get(page.file.src_uri)
    if not renames:
        return html
    html, problems = add_old_anchors(html, renames, str(RENAMES_FILE))
    _state["problems"].extend(problems)
    return html


def on_env(env, config, files):
    # After every page's content, before any is written: all problems at once.
    if _state["problems"]:
        raise PluginError("Renamed sections:\n" + "\n".join(_state["problems"]))
    return env
