"""Smaller served scripts and stylesheet: comments and whitespace out, meaning untouched.

The sources in docs/assets/ stay commented for the people who read them; a phone on a slow network
needs only the code. After `mkdocs build` has copied them into the site, `shrink_site(site_dir)`
rewrites the site's copies in place with rjsmin and rcssmin (libraries that tokenise JavaScript and
CSS: strings, template literals, regular expression literals and `url(...)` stay as written).
A listed file missing from the site, or not UTF-8 text, raises `ShrinkError` naming the file (and
line): the build stops with one clear message. The minifiers do not check syntax: a script that is
broken in docs/assets/ stays broken (tests/features/lean_assets/test_lean_assets.py parses each shrunk script with node).
"""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

from backpain_site.kernel.problems import Problem

__all__ = ["ASSETS", "ShrinkError", "shrink_css", "shrink_js", "shrink_site"]

# The project's own assets, relative to the site folder (Material's are minified already).
ASSETS = ("assets/site.css", "assets/citations.js", "assets/glossary.js", "assets/share.js", "assets/report.js")


class ShrinkError(ValueError):
    """A script or stylesheet that cannot be shrunk (message names file and line)."""


def shrink_js(text: str) -> str:
    """The script without comments and without the whitespace that carries no meaning (rjsmin)."""
    return rjsmin.jsmin(text) + "\n"


def shrink_css(text: str) -> str:
    """The stylesheet without comments and without the whitespace that carries no meaning (rcssmin)."""
    return rcssmin.cssmin(text) + "\n"


def _read(path: Path, rel: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ShrinkError(str(Problem(rel, line, "not UTF-8 text; save it as UTF-8"))) from None
    except OSError as error:
        raise ShrinkError(str(Problem(rel, 0, f"cannot be read ({error.strerror})"))) from None


def shrink_site(site_dir: str | Path, assets: tuple[str, ...] = ASSETS) -> dict[str, tuple[int, int]]:
    """Shrink the site's copies of our assets in place; returns {path: (bytes before, bytes after)}.

    A listed asset missing from the site raises ShrinkError: a renamed script must not silently go
    unshrunk (or be left out of the list)."""
    site = Path(site_dir)
    sizes: dict[str, tuple[int, int]] = {}
    for rel in assets:
        path = site / rel
        if not path.is_file():
            raise ShrinkError(
                str(Problem(rel, 0, "not in the built site (listed as one of its stylesheets or scripts)"))
            )
        text = _read(path, rel)
        shrunk = shrink_css(text) if rel.endswith(".css") else shrink_js(text)
        path.write_text(shrunk, encoding="utf-8")
        sizes[rel] = (len(text.encode("utf-8")), len(shrunk.encode("utf-8")))
    return sizes
