"""The sharing feature: section links, the Share page's cards and the printable handouts (build.py)."""

# The front door other features use (tests/site_wide/test_layers.py): names resolved on first use, so importing
# the package never imports its modules (and never makes an import cycle).
_EXPORTS = {"ShareKit": ".build", "handout_src": ".kit"}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
