"""Issue 14: certainty in plain words, "How we make this site" and "Getting help and other options".

Tested on the built site. Expectations come from data/studies.yml (parsed by backpain_site/features/studies/data.py),
references.bib and the Markdown sources, never from a copy of the built output.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import BIB, DOCS, page_url
from helpers import BIB_KEYS, DATA, cited_key, page_keys, uncited_numbers

from backpain_site.features.citations.bibtex import scan_file
from backpain_site.features.studies.data import CERTAINTY, parse
from backpain_site.features.studies.render import CERTAINTY_HEADING, certainty_cell, studies_table

HOW = DOCS / "how-we-make.md"
NEXT = DOCS / "next-steps.md"
BIB_ENTRIES = {e.key: e for e in scan_file(BIB, "references.bib").entries}
# Where each main finding of issue 14 belongs: page and the section its box must sit in.
FINDING_PLACES = {
    "asteroid-pain": ("run-walk-trial.md", "results"),
    "asteroid-disability": ("run-walk-trial.md", "results"),
    "asteroid-discs": ("run-walk-trial.md", "disc-results"),
    "runner-discs": ("mechanisms/discs.md", "runner-studies"),
    "activity": ("mechanisms/activity.md", "activity-and-risk"),
    "sitting": ("mechanisms/activity.md", "sitting"),
    "prevalence": ("how-common.md", "fair-comparison"),
}
OWNER = re.compile(r"our team's own judgement", re.I)
NOT_GRADE = re.compile(r"not a formal GRADE rating", re.I)


def text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def plain(site, url: str) -> BeautifulSoup:
    """A copy of a built page with glossary <abbr> unwrapped, so text reads as written. A copy:
    site.page() is shared by every test in the session (the glossary tests need the <abbr>s)."""
    soup = BeautifulSoup(str(site.page(url)), "html.parser")
    for abbr in soup.select("abbr"):
        abbr.unwrap()
    return BeautifulSoup(str(soup), "html.parser")  # re-parsed: the unwrapped words join their text


def section_of(tag) -> str | None:
    heading = tag.find_previous("h2")
    return heading.get("id") if heading else None


def cites(tag) -> list[str]:
    return [a["href"].split("#fn:", 1)[1] for a in tag.select("a.footnote-ref")]


# --- certainty ------------------------------------------------------------------------------------


def test_every_main_finding_of_the_issue_is_rated():
    assert sorted(DATA.findings) == sorted(FINDING_PLACES)


@pytest.mark.parametrize("finding_id", sorted(FINDING_PLACES))
def test_certainty_box_sits_next_to_its_finding_and_says_whose_judgement_it_is(site, finding_id):
    finding = DATA.findings[finding_id]
    page, section = FINDING_PLACES[finding_id]
    soup = plain(site, page_url(DOCS / page))
    boxes = soup.select(f'.certainty[data-finding="{finding_id}"]')
    assert len(boxes) == 1, f"{page}: {len(boxes)} boxes for {finding_id}"
    box = boxes[0]
    assert section_of(box) == section
    words = text(box)
    assert words.startswith(f"How sure are we? {CERTAINTY[finding.certainty][0]} certainty.")
    # Each sentence carries its citation before its full stop (the mark belongs to that sentence).
    for sentence in (finding.says, finding.reason):
        assert re.search(re.escape(sentence.rstrip(".")) + r" [\d, ]+\.", words), sentence
    assert OWNER.search(words) and NOT_GRADE.search(words)
    assert set(cites(box)) == set(finding.studies)
    link = box.select_one('a[href*="how-we-make/#certainty"]')
    assert link is not None and urljoin(site.url + page_url(DOCS / page), link["href"]).endswith(
        "/how-we-make/#certainty"
    )


def test_certainty_words_match_the_level_and_the_level_is_no_higher_than_its_evidence_allows():
    """GRADE's plain words for each level, and the site's conservative rule: a finding that rests on
    one randomised trial, or on no randomised trial at all (snapshots, reviews of observational
    studies), is at best low certainty."""
    order = list(CERTAINTY)
    for finding in DATA.findings.values():
        says = finding.says.lower()
        words = CERTAINTY[finding.certainty][1]
        assert not words or any(re.search(rf"\b{w}\b", says) for w in words), finding.id
        trials = [k for k in finding.studies if DATA.studies[k].design == "randomised trial"]
        if len(trials) <= 1:
            assert order.index(finding.certainty) >= order.index("low"), f"{finding.id} is rated above low"


def test_the_wording_check_can_fail():
    text_ = (DOCS.parent / "data" / "studies.yml").read_text(encoding="utf-8")
    broken = text_.replace(
        'says: "A 12-week run-walk programme may reduce', 'says: "A 12-week run-walk programme reduces'
    )
    assert broken != text_
    problems = [str(p) for p in parse(broken, "data/studies.yml", BIB_KEYS)[1]]
    assert (
        len(problems) == 1
        and 'finding "asteroid-pain", field "says": a "low" certainty finding must say "may"' in problems[0]
    )


TABLE_PAGES = sorted({page for page, _ in FINDING_PLACES.values()})


@pytest.mark.parametrize("page", TABLE_PAGES)
def test_studies_tables_show_the_certainty_of_each_study_s_findings(site, page):
    table = plain(site, page_url(DOCS / page)).select_one(".studies-table table")
    headings = [text(th) for th in table.select("thead th")]
    assert headings[-1] == CERTAINTY_HEADING and "our team's judgement" in headings[-1]
    rows = table.select("tbody tr")
    assert [cited_key(r.select("td")[0]) for r in rows] == page_keys(DOCS / page)
    rated = 0
    for row in rows:
        key = cited_key(row.select("td")[0])
        expected = certainty_cell(DATA.findings_for(key))
        assert text(row.select("td")[-1]) == " ".join(expected.split()), key
        rated += bool(DATA.findings_for(key))
    assert rated, f"{page}: no rated study in the table"


def test_tables_without_rated_studies_have_no_certainty_column():
    unrated = [k for k in DATA.studies if not DATA.findings_for(k)][:3]
    rated = next(k for k in DATA.studies if DATA.findings_for(k))
    assert CERTAINTY_HEADING not in studies_table(unrated, DATA, {}).splitlines()[2]
    assert CERTAINTY_HEADING in studies_table(unrated + [rated], DATA, {}).splitlines()[2]


def test_how_we_make_explains_the_four_levels_in_the_words_the_build_checks(site):
    soup = plain(site, page_url(HOW))
    section = soup.select_one("h2#certainty")
    assert section is not None
    table = section.find_next("table")
    assert section_of(table) == "certainty"
    rows = {text(r.select("td")[0]): text(r.select("td")[1]) for r in table.select("tbody tr")}
    assert list(rows) == [label for label, _ in CERTAINTY.values()]
    for label, words in CERTAINTY.values():
        if words:
            assert words[0] in rows[label]
    body = text(section.find_parent("article"))
    assert "not a formal GRADE rating" in body and "our team's own judgement" in body
    assert "santesso2020grade" in cites(section.find_next("p"))


# --- How we make this site ------------------------------------------------------------------------

HOW_SECTIONS = ["sources", "abstracts", "figures", "certainty", "updates", "review-cycle", "not-done-yet"]


def sections(soup) -> list[str]:
    return [h.get("id") for h in soup.select("article h2[id]") if h.get("id") in HOW_SECTIONS + NEXT_SECTIONS]


def test_how_we_make_has_every_section_and_cites_its_sources(site):
    soup = plain(site, page_url(HOW))
    assert sections(soup) == HOW_SECTIONS
    assert uncited_numbers(soup.select_one("article")) == []
    for section_id in ("sources", "abstracts", "certainty", "updates"):
        h2 = soup.select_one(f"h2#{section_id}")
        block = []
        for tag in h2.find_next_siblings():
            if tag.name == "h2":
                break
            block.append(tag)
        assert any(cites(tag) for tag in block), f"#{section_id} cites nothing"


def test_how_we_make_says_plainly_what_has_not_been_done(site):
    soup = plain(site, page_url(HOW))
    items = [text(li) for li in soup.select_one("h2#not-done-yet").find_next("ul").select("li")]
    joined = " ".join(items)
    assert "No named, qualified clinician has reviewed this site." in joined
    assert "No patients or clinicians have tested this site." in joined
    assert "It is in English only." in joined
    assert "abstracts" in joined


def test_how_we_make_states_the_review_cycle_the_pages_use(site):
    soup = plain(site, page_url(HOW))
    body = text(soup.select_one("h2#review-cycle").find_next("p").parent)
    assert "at least once a year" in body and "every six months" in body


def test_abstract_claim_matches_the_evidence_notes():
    notes = DOCS.parent.parent / "shared" / "evidence" / "EVIDENCE.md"
    if not notes.is_file():
        pytest.skip("../shared/evidence/EVIDENCE.md is not beside the repository")
    assert "For nearly every paper I read the **abstract**" in notes.read_text(encoding="utf-8")
    assert "we have read nearly every paper as an abstract only" in HOW.read_text(encoding="utf-8")


def test_new_pages_sit_in_the_nav_where_readers_look(site):
    labels = [a.get_text(strip=True) for a in site.page("").select("nav.md-nav--primary > ul > li > a")]
    assert labels.index("Getting help and other options") == labels.index("When to get help") + 1
    assert labels.index("How we make this site") + 1 == labels.index("About")


# --- Getting help and other options ---------------------------------------------------------------

NEXT_SECTIONS = ["more-help", "questions", "other-options"]


def section_tags(soup, section_id):
    out = []
    for tag in soup.select_one(f"h2#{section_id}").find_next_siblings():
        if tag.name == "h2":
            break
        out.append(tag)
    return out


def test_next_steps_has_its_sections_and_every_number_is_cited(site):
    soup = plain(site, page_url(NEXT))
    assert sections(soup) == NEXT_SECTIONS
    assert uncited_numbers(soup.select_one("article")) == []


def test_every_outside_link_in_more_help_was_checked_and_recorded(site):
    """Each service link is the `url` of a references.bib entry cited beside it, with the date it was
    checked (urldate) and what was checked (annote); the page states the same date."""
    soup = plain(site, page_url(NEXT))
    items = [li for tag in section_tags(soup, "more-help") for li in tag.select("li")]
    outside = [
        (li, a["href"])
        for li in items
        for a in li.select("a[href^='http']")
        if "footnote" not in " ".join(a.get("class", []))
    ]
    assert len(outside) >= 5
    dates = set()
    for li, href in outside:
        keys = cites(li)
        entries = [BIB_ENTRIES[k] for k in keys if BIB_ENTRIES[k].fields.get("url") == href]
        assert entries, f"{href}: no cited references.bib entry has this url"
        entry = entries[0]
        assert entry.fields.get("annote", "").startswith("CHECKED"), entry.key
        dates.add(date.fromisoformat(entry.fields["urldate"]))
    assert len(dates) == 1
    checked = dates.pop()
    assert f"We checked each address on {checked.day} {checked:%B %Y}" in text(
        soup.select_one("h2#more-help").find_next("p").find_next("p")
    )


def test_more_help_says_what_was_left_out_and_what_to_do_outside_the_uk(site):
    body = text(BeautifulSoup("".join(map(str, section_tags(plain(site, page_url(NEXT)), "more-help"))), "html.parser"))
    assert "because we could not read a copy of them" in body
    assert "Versus Arthritis" in body
    assert "Outside the UK?" in body
    assert "999" in body


def test_questions_are_a_printable_list_linking_the_trial_exclusions_and_care_cards(site):
    soup = plain(site, page_url(NEXT))
    lists = [t for t in section_tags(soup, "questions") if t.name == "ol"]
    assert len(lists) == 1 and len(lists[0].select("li")) >= 5
    hrefs = [
        urljoin(site.url + page_url(NEXT), a["href"])
        for a in lists[0].select("a[href]")
        if "footnote" not in " ".join(a.get("class", []))
    ]
    assert site.url + "run-walk-trial/#who-took-part" in hrefs
    assert site.url + "when-to-get-help/#emergency" in hrefs
    trial = site.page("run-walk-trial/")
    assert trial.select_one("h2#who-took-part") is not None
    assert "could not join" in text(trial.select_one("h2#who-took-part").find_next("p").parent)


GUIDELINES = {"nice2016ng59", "qaseem2017noninvasive", "foster2018prevention"}


def test_other_options_cover_each_kind_with_benefit_downside_and_a_guideline(site):
    soup = plain(site, page_url(NEXT))
    tags = section_tags(soup, "other-options")
    options = [li for tag in tags if tag.name == "ul" for li in tag.find_all("li", recursive=False)][:4]
    names = [text(li.select_one("strong")).rstrip(".,") for li in options]
    assert names == ["Other exercise", "Psychological approaches", "Manual therapy", "Medicines"]
    for li in options:
        words = text(li)
        assert "Benefit:" in words and "Downside:" in words, words
        assert GUIDELINES & set(cites(li)), f"{words[:40]}: no guideline cited"
    medicines = text(options[3])
    assert "lowest dose" in medicines and "stomach" in medicines
    # NICE's limit on manual and psychological therapy is stated, not dropped.
    assert text(options[1]).count("only as part of a package that includes exercise") == 1
    assert text(options[2]).count("only as part of a package that includes exercise") == 1
