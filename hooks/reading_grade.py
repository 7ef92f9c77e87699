"""Show each page's reading level after its content, e.g. "Reading level: about age 12 to 13 (UK Year 8)".

The measuring is in readability.py (pure, shared with tests/test_readability.py, which fails a page
that is too hard); this hook only runs it on the finished page content and hands the result to
overrides/partials/reading-grade.html. Pages in readability.UNGATED (References) show no level.
"""
from __future__ import annotations

import re

try:  # imported by MkDocs from hooks/ or by the tests as a package
    import readability
except ImportError:  # pragma: no cover
    from hooks import readability


# The reference list is the end of the page's content and is never measured; without it, a page's
# score only changes when its text does, so `mkdocs serve` re-scores only edited pages (saving
# references.bib changes every reference list and nothing else).
REFERENCE_LIST = re.compile(r'<div class="footnote">.*', re.S)
_scores: dict[str, readability.Score] = {}


def on_page_context(context, page, config, nav):
    # on_page_context runs after every hook's on_page_content, so this is the page's final content.
    if readability.is_gated(page.file.src_uri):
        text = REFERENCE_LIST.sub("", page.content)
        result = _scores.get(text)
        if result is None:
            result = _scores[text] = readability.score(readability.sentences(page.content))
        context["reading_level"] = readability.reading_level(result)
        context["reading_score"] = result
    else:
        context["reading_level"] = None
    return context
