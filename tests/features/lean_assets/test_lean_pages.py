"""Lighter first views (issue 13 item 7): what every first view downloads and what each page holds."""

from __future__ import annotations

import json

import yaml
from conftest import ROOT

PAGE = "run-walk-trial/"


def index_text(site, page: str) -> str:
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    return " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(page))


def test_studies_tables_stay_out_of_the_search_index_but_on_the_page(site):
    # "Known limits" is a column heading of the studies table only; the trial's registry number is
    # in the table's limits and elsewhere on the page.
    table = site.page(PAGE).select_one(".studies-table table")
    assert table is not None and "Known limits" in table.get_text()
    assert "Known limits" not in index_text(site, PAGE)
    for page in ("how-common/", "mechanisms/", "mechanisms/discs/"):
        assert site.page(page).select_one(".studies-table table") is not None
        assert "Known limits" not in index_text(site, page), page
    # The page's own words, and the "For clinicians" key numbers under the table, stay searchable.
    assert "waiting-list" in index_text(site, PAGE)
    assert "Key numbers from these studies" in index_text(site, PAGE)


def test_copy_link_buttons_carry_no_inline_icon(site):
    buttons = site.page(PAGE).select("button.section-link")
    assert len(buttons) > 5
    for button in buttons:
        assert button.select("svg") == [], "the icon is drawn by the stylesheet (.section-link::before)"
        assert button.select_one(".section-link__label").get_text() == "Copy link"


def test_our_scripts_are_deferred(site):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""), Loader=yaml.SafeLoader)
    ours = [entry["path"] for entry in config["extra_javascript"]]
    scripts = [
        tag
        for tag in site.page(PAGE).select("script[src]")
        if "/assets/" in tag["src"] and "javascripts" not in tag["src"]
    ]
    assert [tag["src"].rsplit("/", 1)[-1] for tag in scripts] == [path.rsplit("/", 1)[-1] for path in ours]
    assert all(tag.has_attr("defer") for tag in scripts), [str(tag) for tag in scripts]


def test_the_published_stylesheet_and_scripts_are_the_shrunk_sources(site):
    """The build shrinks every stylesheet and script mkdocs.yml lists (lean_assets at post_build):
    the built copy is what lean_assets makes of the source, and smaller."""
    from mkdocs.config import load_config

    from backpain_site.features.lean_assets import shrink_css, shrink_js
    from backpain_site.features.lean_assets.build import own_assets

    assets = own_assets(load_config(str(ROOT / "mkdocs.yml")))
    assert "assets/site.css" in assets and "assets/citations.js" in assets
    for rel in assets:
        source = (ROOT / "docs" / rel).read_text(encoding="utf-8")
        built = (site.root / rel).read_text(encoding="utf-8")
        shrink = shrink_css if rel.endswith(".css") else shrink_js
        assert built == shrink(source) and len(built) < len(source), rel
