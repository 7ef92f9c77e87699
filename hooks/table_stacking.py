"""Tables that stack into labelled cards on a phone (docs/assets/site.css, "Phones"): every table
on every page gets its cells' column labels and explicit table roles (the logic: stacked_tables/).

Runs after every other hook and plugin has written the page's HTML, so tables that hooks add
(the studies tables, the trial card, the charts' data) are labelled too.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority

from stacked_tables import label_tables


@event_priority(-100)
def on_page_content(html, page, config, files):
    return label_tables(html)
