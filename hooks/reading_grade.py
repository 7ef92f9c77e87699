"""Show each page's reading level after its content, e.g. "Reading level: about age 12 to 13 (UK Year 8)".

The measuring is in readability.py (pure, shared with tests/test_readability.py, which fails a page
that is too hard); this hook only runs it on the finished page content and hands the result to
overrides/partials/reading-grade.html. Pages in readability.UNGATED (References) show no level.
"""
from __future__ import annotations

try:  # imported by MkDocs from hooks/ or by the tests as a package
    import readability
except ImportError:  # pragma: no cover
    from hooks import readability


def on_page_context(context, page, config, nav):
    # on_page_context runs after every hook's on_page_content, so this is the page's final content.
    if readability.is_gated(page.file.src_uri):
        result = readability.score(readability.sentences(page.content))
        context["reading_level"] = readability.reading_level(result)
        context["reading_score"] = result
    else:
        context["reading_level"] = None
    return context
