"""The citations feature (build.py); its front door for other features."""
from backpain_site.features.citations.bibtex_plugin import bib_paths

__all__ = ["bib_paths"]
