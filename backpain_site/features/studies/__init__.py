"""Study data (data/studies.yml) and what the site builds from it: badges, tables, the trial card, charts.

Plain Python, no MkDocs: the feature in backpain_site/features/studies/build.py is a thin layer over
these modules, and the tests call them directly.
"""

# The front door other features use (tests/site_wide/test_layers.py): names resolved on first use, so importing
# the package never imports its modules (and never makes an import cycle).
_EXPORTS = {"Studies": ".build", "load": ".project", "number_text": ".render", "rounded": ".render"}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
