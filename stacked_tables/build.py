"""The table-stacking feature: every table stacks into labelled cards on a phone and stays a table.

Last in the pipeline (site_build/pipeline.py), so it labels the tables other features write too.
"""
from __future__ import annotations

from . import label_tables


class TableStacking:
    name = "table-stacking"

    def content(self, build, page, html: str) -> str:
        return label_tables(html)
