"""Link previews: every page's description and Open Graph / Twitter tags match its front matter.

A link pasted into a messaging app shows a card built from these tags, so each must carry the
page's own title and description and its canonical address (site_url + the page's path).
"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT, front_matter, markdown_pages, page_url

from backpain_site.features.trust.previews import description_problem

SITE_NAME = yaml.safe_load(
    re.search(r"^site_name:.*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(0)
)["site_name"]


def meta(soup, attribute: str, name: str) -> list[str]:
    return [tag.get("content") for tag in soup.find_all("meta", attrs={attribute: name})]


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_every_page_has_a_preview_matching_its_front_matter(site, md):
    assert site.returncode == 0, site.log
    fm = front_matter(md)
    soup = site.page(page_url(md))
    canonical = site.url + page_url(md)
    assert fm.get("description"), f"{md}: no description in the front matter"
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [canonical]
    assert meta(soup, "name", "description") == [fm["description"]]
    assert meta(soup, "property", "og:title") == [fm["title"]]
    assert meta(soup, "property", "og:description") == [fm["description"]]
    assert meta(soup, "property", "og:url") == [canonical]
    assert meta(soup, "property", "og:site_name") == [SITE_NAME]
    assert meta(soup, "property", "og:type") == ["website" if page_url(md) == "" else "article"]
    assert meta(soup, "name", "twitter:card") == ["summary"]
    assert meta(soup, "name", "twitter:title") == [fm["title"]]
    assert meta(soup, "name", "twitter:description") == [fm["description"]]


def test_a_description_with_html_special_characters_stays_text():
    # "&" appears in a real description ("A&E"); the tags must hold it as text, escaped once.
    assert any("&" in (front_matter(md).get("description") or "") for md in markdown_pages())
    template = (ROOT / "overrides" / "partials" / "link-preview.html").read_text(encoding="utf-8")
    assert template.count("preview_description | e") == 2 and template.count("preview_title | e") == 2


@pytest.mark.parametrize(
    "meta_value, words",
    [
        ({}, "missing"),
        ({"description": ""}, "is empty"),
        ({"description": "   "}, "is empty"),
        ({"description": None}, "missing"),
        ({"description": ["a", "b"]}, "one line of text"),
        ({"description": 'The "best" page.'}, "double quote"),
    ],
)
def test_bad_descriptions_are_refused(meta_value, words):
    assert words in description_problem(meta_value)


def test_a_plain_description_is_fine():
    assert description_problem({"description": "What the studies say, in plain words."}) is None
