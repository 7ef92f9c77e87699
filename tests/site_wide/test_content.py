"""Content rules: own words, honest structure, help always one tap away, no overstatement."""

import re
import subprocess
import sys

import pytest
from conftest import DOCS, ROOT, front_matter, markdown_pages, page_url, strip_code
from helpers import EVIDENCE_PAGES, uncited_numbers

COPYCHECK = ROOT.parent / "shared" / "tools" / "copycheck.py"
# Phrases the evidence notes call overstatements of what the studies found.
OVERSTATEMENTS = [
    r"\ball (of )?(the )?(participants|subjects|runners|people) (improved|got better|reported (less|decreases))",
    r"\bnone of (the )?(participants|subjects|runners) (got worse|experienced)",
    r"\brunning prevents\b",
    r"\bprevents back pain\b",
    r"\bproven to\b",
    r"\bproves (that )?running\b",
    r"\bwell tolerated by all\b",
    r"\b40 (adults|people|participants) (ran|began running|started running)",
]


@pytest.mark.skipif(not COPYCHECK.is_file(), reason="../shared/tools/copycheck.py is not beside the repository")
def test_no_passage_repeats_the_source_article():
    result = subprocess.run([sys.executable, str(COPYCHECK), str(DOCS), "--strict"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("0 passage"), result.stdout


@pytest.mark.parametrize("name", EVIDENCE_PAGES)
def test_evidence_pages_end_with_what_we_dont_know(name):
    headings = re.findall(r"^## .*$", strip_code((DOCS / name).read_text(encoding="utf-8")), re.M)
    assert headings and headings[-1].endswith("{ #what-we-dont-know }"), f"{name}: last section is {headings[-1:]}"


# A sentence that negates or reports a claim ("cannot show that running prevents...",
# "some write-ups say all 40 people ran") is a correction, not an overstatement.
CORRECTION = re.compile(r"\b(not|no|cannot|never|wrong|says?|claims?)\b|n't\b")


def test_overstatement_check_can_fail():
    assert overstated("Running prevents back pain.") and not overstated("It cannot show that running prevents it.")


def overstated(text: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?])\s+", text.lower())
    return [s for s in sentences if not CORRECTION.search(s) and any(re.search(p, s) for p in OVERSTATEMENTS)]


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.name)
def test_no_overstatement(md):
    found = overstated(strip_code(md.read_text(encoding="utf-8")))
    assert found == [], f"{md}: overstated phrasing {found}"


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.name)
def test_front_matter_has_title_and_short_description(md):
    meta = front_matter(md)
    assert isinstance(meta.get("title"), str) and meta["title"].strip(), f"{md}: no title"
    description = meta.get("description")
    assert isinstance(description, str) and 40 <= len(description) <= 160, (
        f"{md}: description must be 40-160 characters"
    )


def test_every_content_page_links_to_when_to_get_help(site):
    for md in markdown_pages():
        if md.name in ("when-to-get-help.md", "references.md", "glossary.md"):  # not content pages
            continue
        links = [a["href"] for a in site.page(page_url(md)).select("article a[href]")]
        assert any("when-to-get-help/" in href for href in links), f"{md}: no link to When to get help"


def test_clinician_blocks_are_collapsed_by_default(site):
    """Exact figures sit in collapsible "For clinicians" blocks, closed until opened."""
    count = 0
    for md in markdown_pages():
        for block in site.page(page_url(md)).select("article details"):
            summary = block.select_one("summary")
            if summary and summary.get_text(strip=True) == "For clinicians":
                count += 1
                assert not block.has_attr("open"), f"{md}: a For clinicians block is open by default"
    assert count > 0


def test_home_page_leads_with_key_messages(site):
    """Key messages come first, so they are visible without scrolling on a phone."""
    article = site.page("").select_one("article")
    first_heading = article.select_one("h2")
    assert first_heading["id"] == "key-messages"
    words_before = sum(len(p.get_text().split()) for p in first_heading.find_all_previous("p") if article in p.parents)
    assert words_before <= 30, "too much text above the key messages"
    # Budget checked against a 390 x 844 phone screenshot: at ~120 words all messages fit on the first screen.
    messages = first_heading.find_next_sibling("ul")
    words = len(messages.get_text(" ", strip=True).split())
    assert words <= 120, f"key messages are {words} words: they no longer fit on a phone's first screen"


NUMBER_PAGES = EVIDENCE_PAGES + ["index.md", "take-home.md"]


@pytest.mark.parametrize("name", NUMBER_PAGES)
def test_every_number_carries_a_citation(site, name):
    article = site.page(page_url(DOCS / name)).select_one("article")
    assert uncited_numbers(article) == [], f"{name}: numbers without a citation"


def test_uncited_number_check_can_fail():
    from bs4 import BeautifulSoup

    article = BeautifulSoup(
        "<article><p>About 1 in 5 runners.</p><p>Fine <a class='footnote-ref' id='fnref:a' href='#fn:a'>1</a></p></article>",
        "html.parser",
    )
    assert uncited_numbers(article) == ["About 1 in 5 runners."]


def test_each_take_home_message_links_to_the_section_that_supports_it(site):
    """Every message on the take-home page points to a section (page#id) elsewhere on the site."""
    article = site.page("take-home/").select_one("article")
    for heading in article.select("h2"):
        if heading.get("id") == "references":
            continue
        links = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            links += [
                a["href"] for a in sibling.select("a[href]") if "#" in a["href"] and not a["href"].startswith("#")
            ]
        assert links, f"take-home message #{heading['id']} links to no supporting section"
