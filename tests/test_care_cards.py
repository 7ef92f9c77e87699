"""When to get help: the care cards come from one snippet, carry headings with hidden level prefixes,
cite their sources, and never lose an emergency sign."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import DOCS, FIXTURES, ROOT, front_matter, markdown_pages, page_url, run_build
from hooks.help_box import (HELP_PAGE, PREFIXES, SECTION_ID, CardError, parse_cards, place_full_cards,
                            wants_help_box)

SNIPPET_TEXT = (ROOT / "includes" / "help-box.md").read_text(encoding="utf-8")
CARDS = parse_cards(SNIPPET_TEXT)
CONTENT_PAGES = [md for md in markdown_pages()
                 if wants_help_box(md.relative_to(DOCS).as_posix(), front_matter(md))]
OTHER_PAGES = [md for md in markdown_pages() if md not in CONTENT_PAGES and md.name != HELP_PAGE]


def card_source(level: str) -> str:
    """The raw snippet text of one card (its heading line to the next card's), read without the hook."""
    match = re.search(rf"^## .*\{{ #{level} \}}$(.*?)(?=^## |\Z)", SNIPPET_TEXT, re.M | re.S)
    return match.group(1)


def list_items(markdown: str) -> list[str]:
    return [re.sub(r"\*\*|\s*\[@[^\]]*\]", "", item).strip() for item in re.findall(r"^- (.+)$", markdown, re.M)]


def cited_keys(markdown: str) -> set[str]:
    return set(re.findall(r"@([\w-]+)", " ".join(re.findall(r"\[@[^\]]*\]", markdown))))


EMERGENCY_SIGNS = list_items(card_source("emergency"))


def test_the_snippet_has_the_three_cards_and_emergency_signs_to_show():
    assert list(CARDS) == ["emergency", "urgent", "routine"] == list(PREFIXES)
    assert len(EMERGENCY_SIGNS) >= 6


def item_text(li) -> str:
    """A list item's words without its citation numbers."""
    return " ".join("".join(t for t in li.find_all(string=True) if not t.find_parent("sup")).split())


def check_card(card, level: str, depth: str, full: bool):
    heading = card.find(depth, recursive=False)
    assert heading is not None and heading["id"] == level
    hidden = heading.find("span", class_="visually-hidden")
    assert heading.contents[0] is hidden and hidden.get_text() == PREFIXES[level] + " "
    assert heading.get_text().startswith(f"{PREFIXES[level]} {CARDS[level].title}")
    refs = {a["href"].removeprefix("#fn:") for a in card.select("a.footnote-ref")}
    source = card_source(level)
    if not full:
        source = "\n".join(CARDS[level].short)
    assert refs and refs == cited_keys(source), f"{level}: citations {refs} differ from the snippet's"


@pytest.mark.parametrize("md", CONTENT_PAGES, ids=lambda p: p.name)
def test_content_pages_end_with_short_cards_under_their_own_heading(site, md):
    article = site.page(page_url(md)).select_one("article")
    (section,) = article.select(".care-cards")
    heading = section.find("h2", recursive=False)
    assert heading["id"] == SECTION_ID
    cards = section.select(".care-card")
    assert [c["class"][1] for c in cards] == [f"care-card--{level}" for level in PREFIXES]
    for card, level in zip(cards, PREFIXES):
        check_card(card, level, "h3", full=False)
    # Never drop an emergency sign, however short the cards are.
    assert [item_text(li) for li in cards[0].select("li")] == EMERGENCY_SIGNS
    # The short cards come after everything the page says, before its reference list.
    h2s = article.select("h2")
    assert [h["id"] for h in h2s[h2s.index(heading) + 1:]] in ([], ["references"])


def test_the_help_page_shows_every_card_in_full_as_its_sections(site):
    article = site.page(page_url(DOCS / HELP_PAGE)).select_one("article")
    assert article.select(".care-cards") == []
    cards = article.select(".care-card")
    assert [c["class"][1] for c in cards] == [f"care-card--{level}" for level in PREFIXES]
    for card, level in zip(cards, PREFIXES):
        check_card(card, level, "h2", full=True)
        items = [item_text(li) for li in card.select("li")]
        assert items == list_items("\n".join(CARDS[level].full)), f"{level}: not the full card"
    assert len(cards[1].select("li")) > 6  # the urgent card in full has more signs than its short form


@pytest.mark.parametrize("md", OTHER_PAGES, ids=lambda p: p.name)
def test_pages_that_opt_out_have_no_cards(site, md):
    assert site.page(page_url(md)).select(".care-card") == []


# The snippet's format --------------------------------------------------------------------------

GOOD = "## E { #emergency }\n\nE [@a].\n\n## U { #urgent }\n\n<!-- short -->\nU short.\n<!-- full -->\nU full.\n\n## R { #routine }\n\nR.\n"


def test_short_and_full_text_go_to_their_own_version():
    cards = parse_cards(GOOD)
    assert "\n".join(cards["urgent"].short).strip() == "U short." and "\n".join(cards["urgent"].full).strip() == "U full."
    assert cards["emergency"].short == cards["emergency"].full


@pytest.mark.parametrize("snippet, line, words", [
    ("Some text\n" + GOOD, 1, "text before the first card"),
    (GOOD.replace("#routine", "#later"), 12, 'unknown card "later"'),
    (GOOD + "## Again { #urgent }\n", 15, 'a second "urgent" card (the first is at line 5)'),
    (GOOD.replace("E [@a].", "<!-- short -->\nE [@a]."), 3, "the emergency card is the same everywhere"),
    (GOOD.replace("R.", "### Sub\nR."), 14, "a heading inside a card"),
    (GOOD.split("## R")[0], 11, 'no "routine" card'),
])
def test_snippet_mistakes_are_located(snippet, line, words):
    with pytest.raises(CardError, match=re.escape(words)) as caught:
        parse_cards(snippet)
    assert caught.value.line == line


def test_unknown_or_repeated_shortcodes_are_located():
    cards = parse_cards(GOOD)
    with pytest.raises(CardError, match="unknown shortcode") as caught:
        place_full_cards("Text\n\n<!-- care-card: soon -->\n", cards)
    assert caught.value.line == 3
    with pytest.raises(CardError, match="already on this page"):
        place_full_cards("<!-- care-card: urgent -->\n<!-- care-card: urgent -->\n", cards)


# Real builds of a fixture ----------------------------------------------------------------------

def card_project(dest: Path, snippet: str, page: str) -> Path:
    shutil.copytree(FIXTURES / "bad-front-matter", dest)
    config = dest / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../hooks/help_box.py", str(ROOT / "hooks" / "help_box.py")))
    (dest / "includes" / "help-box.md").write_text(snippet, encoding="utf-8")
    (dest / "docs" / HELP_PAGE).write_text(page, encoding="utf-8")
    (dest / "docs" / "index.md").write_text("---\ntitle: Fixture\n---\n\nText [@fixture2020entry].\n", encoding="utf-8")
    return dest


def test_a_snippet_mistake_stops_the_build_with_its_line(tmp_path):
    snippet = (FIXTURES / "bad-front-matter" / "includes" / "help-box.md").read_text()
    project = card_project(tmp_path / "p", snippet.replace("Fixture emergency card", "<!-- short -->\nShort"), "# Help\n")
    result = run_build(project, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert "includes/help-box.md:3: the emergency card is the same everywhere" in log


def test_the_help_page_must_place_every_card(tmp_path):
    snippet = (FIXTURES / "bad-front-matter" / "includes" / "help-box.md").read_text()
    page = "---\ntitle: Help\n---\n\n<!-- care-card: emergency -->\n\n<!-- care-card: later -->\n"
    project = card_project(tmp_path / "p", snippet, page)
    result = run_build(project, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"docs/{HELP_PAGE}:7: unknown shortcode" in log
    project = card_project(tmp_path / "q", snippet, page.replace("later", "routine"))
    result = run_build(project, tmp_path / "out2")
    assert f"docs/{HELP_PAGE}:1: the When to get help page shows every care card in full: add <!-- care-card: urgent -->" in result.stdout + result.stderr
