"""The built pages carry lighter citation markup (backpain_site/features/citations/marks.py, issue 13 item 7)."""

from __future__ import annotations

import json

import yaml
from conftest import ROOT

PAGE = "run-walk-trial/"  # the work cited most often on one page (the trial, 40-odd times)


def test_each_reference_list_entry_has_one_back_link(site):
    entries = site.page(PAGE).select("div.footnote li[id^='fn:']")
    assert entries
    for li in entries:
        assert len(li.select("a.footnote-backref")) == 1, li["id"]
    # The one back-link leads to the first citation of the work.
    first = entries[0]
    key = first["id"].removeprefix("fn:")
    assert first.select_one("a.footnote-backref")["href"] == f"#fnref:{key}"
    assert len(site.page(PAGE).select(f"sup[id^='fnref'] > a[href='#fn:{key}']")) > 10


def test_reference_lists_stay_out_of_the_search_index(site):
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(PAGE))
    # A DOI is printed only in reference lists.
    assert "doi.org/10.1136/bjsports-2024-108245" not in texts and "bjsports-2024-108245" not in texts
    # ... while the page's own words are still found.
    assert "run-walk" in texts.lower()
    # The References page keeps its list searchable.
    refs = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("references/"))
    assert "bjsports-2024-108245" in refs


def test_material_footnote_tooltips_are_off():
    """One delegated preview (assets/citations.js) replaces a tooltip mounted per citation."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    features = yaml.load(text.replace("!ENV", ""), Loader=yaml.SafeLoader)["theme"]["features"]
    assert "content.footnote.tooltips" not in features
