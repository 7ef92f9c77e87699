"""Every H2/H3 carries an explicit, stable id written in the Markdown: clinicians link to them."""

import re

import pytest
from conftest import DOCS, front_matter, markdown_pages, page_url, strip_code

from backpain_site.features.care_cards import ADDED_IDS as CARD_IDS
from backpain_site.features.care_cards import wants_help_box

HEADING = re.compile(r"^(#{2,3})\s+(.*?)\s*$", re.M)
EXPLICIT_ID = re.compile(r"\{\s*#([^\s}]+)\s*\}$")
STABLE_ID = re.compile(r"^[a-z]+(-[a-z]+)*$")  # kebab-case ASCII, no numbers
# Ids that hooks add (the reference list; the care cards, on pages that get them); never written
# by authors.
ADDED_BY_HOOKS = {"references"} | CARD_IDS


def written_ids(md) -> list[str]:
    ids = []
    for level, text in HEADING.findall(strip_code(md.read_text(encoding="utf-8"))):
        match = EXPLICIT_ID.search(text)
        assert match, f"{md}: heading without an explicit id: {level} {text}"
        ids.append(match.group(1))
    return ids


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.name)
def test_ids_are_explicit_stable_and_unique(md):
    ids = written_ids(md)
    assert [i for i in ids if not STABLE_ID.match(i)] == [], f"{md}: ids must be kebab-case letters"
    assert len(ids) == len(set(ids)), f"{md}: an id is used twice"
    gets_cards = wants_help_box(md.relative_to(DOCS).as_posix(), front_matter(md))
    reserved = ADDED_BY_HOOKS if gets_cards else {"references"}
    assert not reserved & set(ids), f"{md}: {reserved & set(ids)} is reserved for what hooks add"


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.name)
def test_every_built_heading_id_comes_from_the_markdown(site, md):
    built = [h.get("id") for h in site.page(page_url(md)).select("article h2, article h3")]
    source = set(written_ids(md)) | ADDED_BY_HOOKS
    assert [i for i in built if i not in source] == [], f"{md}: headings with generated ids"
