"""Append the "When to get help" box to every content page.

The box is content, so it lives in includes/help-box.md (Markdown with citations), not in Python.
A page opts out with `help_box: false` in its front matter; the help page never gets it.
Priority 50 runs this before mkdocs-bibtex (priority 0), so the box's [@key] citations resolve.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

try:  # imported by MkDocs from hooks/ or by the tests as a package
    from front_matter import located
except ImportError:  # pragma: no cover
    from hooks.front_matter import located

HELP_PAGE = "when-to-get-help.md"
SNIPPET = Path("includes") / "help-box.md"

_snippet: str | None = None


def wants_help_box(src_uri: str, meta: dict) -> bool:
    """True unless this is the help page or the page says `help_box: false`.

    Raises ValueError for a value that is not a boolean (e.g. `help_box: no thanks`).
    """
    value = meta.get("help_box", True)
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value and src_uri != HELP_PAGE


def append_help_box(markdown: str, snippet: str) -> str:
    """The page's Markdown with the snippet after its last line, separated by a blank line."""
    return markdown.rstrip("\n") + "\n\n" + snippet.strip("\n") + "\n"


def on_config(config):
    global _snippet
    path = Path(config.config_file_path).parent / SNIPPET
    try:
        _snippet = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PluginError(f"{path}: cannot read the help-box snippet: {error.strerror}") from None
    return config


@event_priority(50)
def on_page_markdown(markdown, page, config, files):
    try:
        wanted = wants_help_box(page.file.src_uri, page.meta)
    except ValueError as error:
        project = Path(config.config_file_path).parent
        raise PluginError(located(page.file.abs_src_path, "help_box", str(error), base=project)) from None
    return append_help_box(markdown, _snippet) if wanted else markdown
