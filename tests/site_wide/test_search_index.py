"""What Material's search index holds (site/search/search_index.json, downloaded on every first view).

Left out (issue 19): the short care cards at the end of every page (When to get help shows them in
full, and search finds them there); the reference lists at the end of each page were already out
(citations/marks.py). Search must still find each glossary
term's definition on the Glossary page and each study by its name: its title on the References
page, and a trial's short name."""

from __future__ import annotations

import html
import json
import re

import pytest
from conftest import BIB, DOCS, ROOT, page_url
from helpers import DATA
from pybtex.richtext import Text

from backpain_site.features import glossary
from backpain_site.features.care_cards import HELP_PAGE, SECTION_ID, SNIPPET, parse_cards
from backpain_site.features.citations.bibtex import scan_file
from backpain_site.kernel.roles import GLOSSARY_PAGE

TERMS, _ = glossary.parse_glossary((ROOT / glossary.SOURCE).read_text(encoding="utf-8"))
ENTRIES = {entry.key: entry for entry in scan_file(BIB, "references.bib").entries}


def words(text: str) -> str:
    """Text as search sees it, for comparing: tags and citation numbers out, letters and digits only."""
    text = re.sub(r"<sup>.*?</sup>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


@pytest.fixture(scope="module")
def index(site) -> list[dict]:
    return json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def found(index, location_prefix: str) -> str:
    return " ".join(
        words(doc["title"] + " " + doc["text"]) for doc in index if doc["location"].split("#")[0] == location_prefix
    )


def test_search_finds_every_glossary_definition_on_the_glossary_page(index):
    text = found(index, page_url(DOCS / GLOSSARY_PAGE))
    missing = [term.term for term in TERMS if words(term.title) not in text]
    assert missing == [], f"definitions search cannot find on the Glossary page: {missing}"


def test_search_finds_every_study_by_its_title_and_every_trial_by_its_name(index):
    everything = " ".join(words(doc["title"] + " " + doc["text"]) for doc in index)
    titles = {key: Text.from_latex(ENTRIES[key].get("title")).render_as("text") for key in DATA.studies}
    missing = [f"{key}: {title}" for key, title in titles.items() if words(title) not in everything]
    missing += [f"trial {trial.name}" for trial in DATA.trials.values() if words(trial.name) not in everything]
    assert missing == [], "studies search cannot find by name:\n" + "\n".join(missing)


def test_short_care_cards_stay_out_of_the_index(index, site):
    help_url = page_url(DOCS / HELP_PAGE)
    cards = parse_cards((ROOT / SNIPPET).read_text(encoding="utf-8"))
    # No page's short cards are in it: neither their sections nor their words (a card whole; a page
    # may quote one of its sentences in its own text).
    urls = [page_url(md) for md in sorted(DOCS.rglob("*.md"))]
    with_cards = [url for url in urls if url != help_url and site.page(url).select_one("article .care-cards")]
    assert len(with_cards) > 5
    anchors = {f"{url}#{anchor}" for url in with_cards for anchor in (SECTION_ID, *cards)}
    assert sorted(anchors & {doc["location"] for doc in index}) == []
    for card in cards.values():
        short = words(" ".join(card.short))
        assert [doc["location"] for doc in index if short in words(doc["text"])] == [], card.level
    # Every card is still found, in full, on When to get help.
    help_text = found(index, help_url)
    assert all(words(card.title) in help_text for card in cards.values())
