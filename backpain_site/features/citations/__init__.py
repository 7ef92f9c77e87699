"""Citations: references.bib checked and read once per build, [@key] citations resolved through
mkdocs-bibtex (backpain_site/features/citations/build.py). Other features take what they need from
the build (`build.project.bib_keys`, `build.project.cited`, handed over by this feature's config step);
`bib_keys` is this package's one front door for a small site that does not run this feature.
"""

from __future__ import annotations

# The front door other features use (tests/site_wide/test_layers.py): names resolved on first use, so importing
# the package never imports its modules (and never makes an import cycle).
_EXPORTS = {
    "bib_paths": ".bibtex_plugin",
    "check_project": ".project",
    "citation_name": ".labels",
    "register_pybtex_plugins": ".render",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def bib_keys(build) -> set[str]:
    """Every key in the site's .bib files: handed over by the citations feature when it runs (read
    once per build), else read here (small test sites that run only some features)."""
    if build.project.bib_keys is not None:
        return build.project.bib_keys
    from .bibtex_plugin import bib_paths

    paths = bib_paths(build.config, build.root)
    build.project.bib_keys = keys_in(paths, build.root)
    return build.project.bib_keys


def keys_in(paths, root) -> set[str]:
    """Every key in these .bib files (those that exist), for tools run outside a build."""
    from .project import load_bib

    return {entry.key for path in paths if path.exists() for entry in load_bib(path, root).entries}


def cited(build) -> dict[str, list[tuple[str, int]]]:
    """Where the pages cite each key, {key: [(file, line), ...]} in file order: handed over by the
    citations feature when it runs, else found here in the pages the build has read."""
    if build.project.cited is not None:
        return build.project.cited
    from .markdown import find_citations
    from .project import as_sources

    found: dict[str, list[tuple[str, int]]] = {}
    for source in as_sources(build.project.sources()):
        for citation in find_citations(source.text, source.file)[0]:
            found.setdefault(citation.key, []).append((citation.file, citation.line))
    build.project.cited = found
    return found


def cited_in(markdown: str) -> list[tuple[str, int]]:
    """(key, line) of each citation in a piece of Markdown, in order (as this feature finds them)."""
    from .markdown import find_citations

    return [(c.key, c.line) for c in find_citations(markdown, "page")[0]]
