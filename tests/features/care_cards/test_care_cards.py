"""When to get help: the care cards come from one snippet, carry headings with hidden level prefixes,
cite their sources, and never lose an emergency sign."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DOCS, FIXTURES, ROOT, front_matter, markdown_pages, page_url, run_build
from helpers import is_citation_mark

from backpain_site.features.care_cards import (
    HELP_PAGE,
    PREFIXES,
    SECTION_ID,
    CardError,
    all_signs,
    parse_cards,
    place_full_cards,
    wants_help_box,
)

SNIPPET_TEXT = (ROOT / "includes" / "help-box.md").read_text(encoding="utf-8")
CARDS = parse_cards(SNIPPET_TEXT)
CONTENT_PAGES = [md for md in markdown_pages() if wants_help_box(md.relative_to(DOCS).as_posix(), front_matter(md))]
OTHER_PAGES = [md for md in markdown_pages() if md not in CONTENT_PAGES and md.name != HELP_PAGE]


def card_source(level: str) -> str:
    """The raw snippet text of one card (its heading line to the next card's), read without the hook."""
    match = re.search(rf"^## .*\{{ #{level} \}}$(.*?)(?=^## |\Z)", SNIPPET_TEXT, re.M | re.S)
    return match.group(1)


def list_items(markdown: str) -> list[str]:
    return [
        re.sub(r"\*\*|\s*\[@[^\]]*\]|\s*<!-- sign: [^>]* -->", "", item).strip()
        for item in re.findall(r"^- (.+)$", markdown, re.M)
    ]


def cited_keys(markdown: str) -> set[str]:
    return set(re.findall(r"@([\w-]+)", " ".join(re.findall(r"\[@[^\]]*\]", markdown))))


EMERGENCY_SIGNS = list_items(card_source("emergency"))


def test_the_snippet_has_the_three_cards_and_emergency_signs_to_show():
    assert list(CARDS) == ["emergency", "urgent", "routine"] == list(PREFIXES)
    assert len(EMERGENCY_SIGNS) >= 6


def item_text(li) -> str:
    """A list item's words without its citation numbers."""
    return " ".join("".join(t for t in li.find_all(string=True) if not t.find_parent(is_citation_mark)).split())


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
    assert [h["id"] for h in h2s[h2s.index(heading) + 1 :]] in ([], ["references"])


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
    assert (
        "\n".join(cards["urgent"].short).strip() == "U short." and "\n".join(cards["urgent"].full).strip() == "U full."
    )
    assert cards["emergency"].short == cards["emergency"].full


@pytest.mark.parametrize(
    "snippet, line, words",
    [
        ("Some text\n" + GOOD, 1, "text before the first card"),
        (GOOD.replace("#routine", "#later"), 12, 'unknown card "later"'),
        (GOOD + "## Again { #urgent }\n", 15, 'a second "urgent" card (the first is at line 5)'),
        (GOOD.replace("E [@a].", "<!-- short -->\nE [@a]."), 3, "the emergency card is the same everywhere"),
        (GOOD.replace("R.", "### Sub\nR."), 14, "a heading inside a card"),
        (GOOD.split("## R")[0], 11, 'no "routine" card'),
    ],
)
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
    config.write_text(
        config.read_text().replace("../../../backpain_site/hook.py", str(ROOT / "backpain_site" / "hook.py"))
    )
    (dest / "includes" / "help-box.md").write_text(snippet, encoding="utf-8")
    (dest / "docs" / HELP_PAGE).write_text(page, encoding="utf-8")
    (dest / "docs" / "index.md").write_text("---\ntitle: Fixture\n---\n\nText [@fixture2020entry].\n", encoding="utf-8")
    return dest


def test_a_snippet_mistake_stops_the_build_with_its_line(tmp_path):
    snippet = (FIXTURES / "bad-front-matter" / "includes" / "help-box.md").read_text()
    project = card_project(
        tmp_path / "p", snippet.replace("Fixture emergency card", "<!-- short -->\nShort"), "# Help\n"
    )
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
    assert (
        f"docs/{HELP_PAGE}:1: the When to get help page shows every care card in full: add <!-- care-card: urgent -->"
        in result.stdout + result.stderr
    )


# What the cards say (issue 11): the signs a clinician would ask for, checked in the built HTML ------


def words(element) -> str:
    """An element's words without citation numbers, on one line."""
    return " ".join("".join(t for t in element.find_all(string=True) if not t.find_parent(is_citation_mark)).split())


def help_cards(site) -> dict:
    article = site.page(page_url(DOCS / HELP_PAGE)).select_one("article")
    return {card["class"][1].removeprefix("care-card--"): card for card in article.select(".care-card")}


def short_card_sets(site):
    """(page name, {level: card}) for every page that ends with the short cards."""
    for md in CONTENT_PAGES:
        section = site.page(page_url(md)).select_one("article .care-cards")
        yield md.name, {card["class"][1].removeprefix("care-card--"): card for card in section.select(".care-card")}


def all_card_sets(site):
    yield HELP_PAGE, help_cards(site)
    yield from short_card_sets(site)


def test_emergency_card_has_one_leg_and_new_problems_with_sex_everywhere(site):
    for name, cards in all_card_sets(site):
        items = [item_text(li) for li in cards["emergency"].select("li")]
        one_leg = [i for i in items if "one leg" in i]
        assert one_leg, f"{name}: no emergency sign for weakness or numbness in one leg: {items}"
        assert re.search(r"weak", one_leg[0]) and re.search(r"numb", one_leg[0]) and "worse" in one_leg[0], one_leg
        assert re.search(r"\bfoot\b", one_leg[0]) and re.search(r"drag|trip", one_leg[0]), one_leg
        sex = [i for i in items if re.search(r"\bsex\b", i)]
        assert sex, f"{name}: no emergency sign for new problems with sex: {items}"
        assert "genitals" in sex[0] and "erection" in sex[0] and "new" in sex[0], sex


def test_urgent_card_names_cancer_and_says_what_to_do_everywhere(site):
    for name, cards in all_card_sets(site):
        text = words(cards["urgent"])
        assert re.search(r"\bcancer\b", text), f"{name}: the urgent card does not mention a history of cancer"
        action = re.search(r"urgent GP appointment, the same day if you can, or call 111", text)
        assert action, f"{name}: the urgent card does not say what to do: {text[:200]}"
        assert not re.search(r"\bsoon\b", text), f"{name}: the urgent card says 'soon' instead of what to do"


# Sentences that invite a reader to wait after an urgent sign.
DELAY = re.compile(
    r"turn(s|ed)? out (to be )?fine|does not always mean|many people|\bsoon\b|wait and see|"
    r"no need to (rush|worry)|probably nothing|usually nothing|not urgent",
    re.I,
)
REASSURANCE = re.compile(r"false alarm|harmless|nothing serious|not serious|turn(s|ed)? out", re.I)
ACTION = re.compile(r"\b(appointment|call 111|call 999|ask for|get checked|see a GP)\b", re.I)


def sentences_after_urgent_list(site) -> list[tuple[str, str]]:
    """(page, sentence) for every sentence after the urgent card's signs: the rest of the card and, on
    the When to get help page, the patient text that follows it up to the next card."""
    found = []
    for name, cards in all_card_sets(site):
        card = cards["urgent"]
        lists = card.select("ul")
        assert lists, f"{name}: the urgent card lists no signs"
        last_list = lists[-1]
        after = [el for el in last_list.find_all_next(["p", "li"]) if el in card.find_all(["p", "li"])]
        if name == HELP_PAGE:
            for el in card.find_next_siblings():
                if el.name in ("h2", "div") and "care-card" in el.get("class", []):
                    break
                if el.name == "p":
                    after.append(el)
        for el in after:
            for sentence in re.split(r"(?<=[.!?])\s+", words(el)):
                found.append((name, sentence))
    return found


def test_nothing_after_the_urgent_signs_invites_delay(site):
    found = sentences_after_urgent_list(site)
    assert any(name == HELP_PAGE for name, _ in found)
    for name, sentence in found:
        assert not DELAY.search(sentence), f"{name}: a sentence after the urgent signs invites delay: {sentence!r}"
    # A false-alarm caveat may stay, but only about some signs, and only after the action.
    help_sentences = [s for name, s in found if name == HELP_PAGE]
    for i, sentence in enumerate(help_sentences):
        if REASSURANCE.search(sentence):
            assert "some of these signs" in sentence.lower(), sentence
            assert any(ACTION.search(s) for s in help_sentences[:i]), f"caveat before the action: {sentence!r}"


def test_routine_card_says_when_to_see_a_gp_without_a_week_count(site):
    for name, cards in all_card_sets(site):
        text = words(cards["routine"])
        for needed in ("few weeks", "worse", "day-to-day|everyday|with your day"):
            assert re.search(needed, text), f"{name}: the routine card does not say '{needed}': {text[:300]}"
        assert not re.search(r"\d+\s*(to \d+\s*)?weeks", text), f"{name}: a fixed week count in the routine card"


def test_routine_card_describes_inflammatory_back_pain(site):
    text = words(help_cards(site)["routine"])
    for needed in (
        r"before age 45",
        r"morning",
        r"\bmove",
        r"\brest\b",
        r"second half of the night",
        r"axial spondyloarthritis",
        r"\bGP\b",
    ):
        assert re.search(needed, text), f"the full routine card does not say {needed!r}"


def test_running_section_says_when_to_stop_and_get_help(site):
    article = site.page(page_url(DOCS / HELP_PAGE)).select_one("article")
    heading = article.select_one("#stop-and-get-help")
    assert heading is not None and heading.name == "h3"
    section = []
    for el in heading.find_next_siblings():
        if el.name in ("h2", "h3") or el.select_one("h2, h3"):
            break
        section.append(el)
    text = " ".join(words(el) for el in section if el.name != "details")
    for needed in (
        r"\bStop\b",
        r"\b999\b",
        r"\bfaint",
        r"chest pain",
        r"heart",
        r"rac|pound|uneven",
        r"short of breath",
    ):
        assert re.search(needed, text), f"the running section does not say {needed!r}: {text[:300]}"
    assert all(el.select("a.footnote-ref") for el in section if el.name in ("p", "ul")), "an uncited running sign"


def test_worsening_leg_symptoms_are_never_routine_advice(site):
    """A weak or numb leg that gets worse is an emergency: no routine sentence may say otherwise."""
    for md in [DOCS / HELP_PAGE, DOCS / "take-home.md"]:
        article = site.page(page_url(md)).select_one("article")
        for el in article.select("p, li"):
            for sentence in re.split(r"(?<=[.!?])\s+", words(el)):
                advice = re.search(r"\b(GP|physio\w*|ease off|talk to)\b", sentence)
                if re.search(r"\bleg", sentence) and re.search(r"worse", sentence) and advice:
                    assert re.search(r"999|A&E|emergency", sentence), f"{md.name}: {sentence!r}"


def test_every_card_sign_cites_a_source(site):
    for name, cards in all_card_sets(site):
        for level, card in cards.items():
            for ul in card.select("ul"):
                intro = ul.find_previous_sibling("p")
                cited_intro = intro is not None and intro.select("a.footnote-ref")
                uncited = [item_text(li) for li in ul.select("li") if not li.select("a.footnote-ref")]
                assert cited_intro or not uncited, f"{name} {level}: signs without a source: {uncited}"


def test_take_home_warning_signs_match_the_cards(site):
    article = site.page(page_url(DOCS / "take-home.md")).select_one("article")
    heading = article.select_one("#know-the-warning-signs")
    text = []
    for el in heading.find_next_siblings():
        if el.name == "h2" or el.select_one("h2"):  # the next section, or the short cards' section
            break
        text.append(words(el))
    text = " ".join(text)
    for needed in (
        r"one leg",
        r"\bsex\b",
        r"\bcancer\b",
        r"urgent GP appointment, the same day if you can, or call 111",
    ):
        assert re.search(needed, text), f"take-home warning signs do not say {needed!r}: {text[:300]}"
    assert not DELAY.search(text)


# Issue 18: the early cauda equina bladder signs, and restated signs printed from the card --------


def test_emergency_card_has_the_early_bladder_signs_cited_to_the_royal_free_leaflet(site):
    for name, cards in all_card_sets(site):
        card = cards["emergency"]
        bladder = [li for li in card.select("li") if re.search(r"bladder feels", item_text(li))]
        assert bladder, f"{name}: no emergency sign for changes in how the bladder feels"
        assert re.search(r"full or empty", item_text(bladder[0])) and re.search(
            r"feeling when you pee", item_text(bladder[0])
        )
        harder = [
            li for li in card.select("li") if re.search(r"harder and harder to start, stop or control", item_text(li))
        ]
        assert harder, f"{name}: no emergency sign for peeing that gets harder"
        for li in bladder + harder:
            assert [a["href"] for a in li.select("a.footnote-ref")] == ["#fn:royalfreendcaudaequina"], name


def card_sign_words(site) -> set[str]:
    """Each card sign's words as the cards print them (full and short): the words a restatement must use."""
    return {item_text(li) for _, cards in all_card_sets(site) for card in cards.values() for li in card.select("li")}


# The bold words of each emergency sign, and a phrase of each urgent short sign: a list item or
# sentence that names one of them restates that sign.
SIGN_PHRASES = re.compile(
    r"both legs|one leg|genitals or buttocks|bladder feels|problems with sex|"
    r"weight loss you cannot explain|cancer now|trouble peeing|control of your bladder|\bfever\b"
)


def test_every_restated_sign_uses_the_card_words(site):
    """Outside the cards, a page that names a card sign (Take-home's warning signs) prints the card's words
    whole: the restatement keeps "severe or getting worse" and every other qualifier the card has.
    A change entry (the Changes page, "What changed on this page") names a sign without advising: left out."""
    signs = card_sign_words(site)
    restated = 0
    for md in markdown_pages():
        if md.name in (HELP_PAGE, "changes.md"):
            continue
        article = site.page(page_url(md)).select_one("article")
        for el in article.select("li, p"):
            if any(el.find_parent(class_=c) for c in ("care-card", "admonition", "footnote", "page-changes")):
                continue
            if el.name == "p" and el.find_parent("li"):
                continue
            text = words(el)
            if el.name == "li" and SIGN_PHRASES.search(text):
                assert text in signs, f"{md.name}: {text!r} restates a card sign in other words"
                restated += 1
            elif el.name == "p":
                for sentence in re.split(r"(?<=[.!?])\s+", text):
                    assert not SIGN_PHRASES.search(sentence), (
                        f"{md.name}: {sentence!r} restates a card sign in its own words"
                    )
    assert restated >= 10  # Take-home restates seven emergency signs and three urgent ones


def test_take_home_prints_the_one_leg_sign_with_its_qualifier(site):
    article = site.page(page_url(DOCS / "take-home.md")).select_one("article")
    section = article.select_one("#know-the-warning-signs").find_next_sibling("ul")
    one_leg = [words(li) for li in section.select("li") if "one leg" in words(li)]
    assert one_leg and "severe or getting worse" in one_leg[0], one_leg


SIGNED = GOOD.replace(
    "E [@a].", "E [@a]:\n\n- a sign **bold** <!-- sign: first -->\n- cited [@b] <!-- sign: second -->"
)


def test_sign_ids_are_read_and_stripped_and_carry_citations():
    cards = parse_cards(SIGNED)
    signs = all_signs(cards)
    assert list(signs) == ["first", "second"]
    assert signs["first"].markdown() == "a sign **bold** [@a]"  # the lead-in sentence's citation
    assert signs["second"].markdown() == "cited [@b]"  # its own
    assert "sign:" not in "\n".join(cards["emergency"].full)


@pytest.mark.parametrize(
    "snippet, line, words",
    [
        (
            SIGNED.replace("- cited [@b] <!-- sign: second -->", "- cited <!-- sign: first -->"),
            6,
            'a second sign "first" (the first is at line 5)',
        ),
        (SIGNED.replace("- cited [@b]", "Cited [@b]"), 6, "marks a list item"),
        (SIGNED.replace("sign: second", "sign: Second_one"), 6, 'sign id "Second_one"'),
    ],
)
def test_sign_marker_mistakes_are_located(snippet, line, words):
    with pytest.raises(CardError, match=re.escape(words)) as caught:
        parse_cards(snippet)
    assert caught.value.line == line


def test_a_page_prints_the_sign_from_the_card_and_an_unknown_sign_stops_the_build(tmp_path):
    snippet = (
        (FIXTURES / "bad-front-matter" / "includes" / "help-box.md")
        .read_text()
        .replace(
            "Fixture emergency card [@fixture2020entry].",
            "Fixture emergency card [@fixture2020entry]:\n\n- weakness in one leg that is severe or getting worse <!-- sign: one-leg -->",
        )
    )
    help_page = "---\ntitle: Help\n---\n\n<!-- care-card: emergency -->\n\n<!-- care-card: urgent -->\n\n<!-- care-card: routine -->\n"
    project = card_project(tmp_path / "p", snippet, help_page)
    (project / "docs" / "index.md").write_text(
        "---\ntitle: Fixture\n---\n\nSigns:\n\n- <!-- care-sign: one-leg -->\n", encoding="utf-8"
    )
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    from bs4 import BeautifulSoup

    page = BeautifulSoup((tmp_path / "out" / "index.html").read_text(), "html.parser").select_one("article")
    first = page.select_one("ul > li")
    assert item_text(first) == "weakness in one leg that is severe or getting worse"
    assert first.select("a.footnote-ref")  # the card's citation came with it
    # The card changes: the page changes with it.
    (project / "includes" / "help-box.md").write_text(
        snippet.replace("weakness in one leg", "weakness or numbness in one leg")
    )
    assert run_build(project, tmp_path / "out2").returncode == 0
    page = BeautifulSoup((tmp_path / "out2" / "index.html").read_text(), "html.parser").select_one("article")
    assert item_text(page.select_one("ul > li")) == "weakness or numbness in one leg that is severe or getting worse"
    (project / "docs" / "index.md").write_text(
        "---\ntitle: Fixture\n---\n\nSigns:\n\n- <!-- care-sign: one-legs -->\n", encoding="utf-8"
    )
    result = run_build(project, tmp_path / "out3")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert re.search(
        r'docs/index\.md:\d+: no card sign "one-legs": write <!-- care-sign: ID --> with ID one of one-leg', log
    ), log[-2000:]
