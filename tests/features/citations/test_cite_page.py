"""Cite this page: the citation, BibTeX, Highwire tags and JSON-LD agree with each page's front matter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup
from conftest import front_matter, markdown_pages, page_url, run_build
from helpers import make_review_project
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import parse_string
from pybtex.richtext import Text

from backpain_site.features.citations.cite_page import Page, Site, bibtex, json_ld

PLAIN = TextBackend()


def plain(latex: str) -> str:
    """A BibTeX field as a reader sees it: braces gone, \\& back to &."""
    return Text.from_latex(latex).render(PLAIN)


def person_name(person) -> str:
    """A BibTeX name as written: "Ada Lovelace", or a braced team name whole."""
    return plain(" ".join(person.first_names + person.middle_names + person.prelast_names + person.last_names))


def json_ld_of(soup: BeautifulSoup) -> dict:
    (script,) = soup.select('head script[type="application/ld+json"]')
    return json.loads(script.string)


def highwire_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in soup.select('head meta[name^="citation_"]'):
        tags.setdefault(meta["name"], []).append(meta["content"])
    return tags


def bibtex_of(soup: BeautifulSoup):
    code = soup.select_one("article details.cite-page pre code")
    data = parse_string(code.get_text(), "bibtex")
    (entry,) = data.entries.values()
    return entry


PAGES = markdown_pages()


@pytest.mark.parametrize("md", PAGES, ids=lambda p: p.name)
def test_json_ld_is_a_medical_web_page_matching_front_matter(site, md):
    meta = front_matter(md)
    data = json_ld_of(site.page(page_url(md)))
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == meta["title"] and data["description"] == meta["description"]
    assert data["url"] == site.url + page_url(md)
    assert data["datePublished"] == meta["published"].isoformat()
    assert data["lastReviewed"] == meta["last_reviewed"].isoformat()
    assert data["about"] == {"@type": "MedicalCondition", "name": "Low back pain"}
    assert [a["name"] for a in data["author"]] == meta["authors"]
    # A page checked only by the team that wrote it names no reviewer (issue 18): reviewedBy lists
    # only reviewers who are not authors, and is absent when there are none.
    outside = [name for name in meta["reviewers"] if name not in meta["authors"]]
    assert [r["name"] for r in data.get("reviewedBy", [])] == outside
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["url"] == site.url


@pytest.mark.parametrize("md", PAGES, ids=lambda p: p.name)
def test_highwire_tags_match_front_matter(site, md):
    meta = front_matter(md)
    tags = highwire_of(site.page(page_url(md)))
    assert tags["citation_title"] == [meta["title"]]
    assert tags["citation_author"] == meta["authors"]
    assert tags["citation_publication_date"] == [meta["published"].strftime("%Y/%m/%d")]
    assert tags["citation_public_url"] == [site.url + page_url(md)]


@pytest.mark.parametrize("md", PAGES, ids=lambda p: p.name)
def test_cite_this_page_block_is_collapsed_and_its_bibtex_matches_front_matter(site, md):
    meta = front_matter(md)
    soup = site.page(page_url(md))
    block = soup.select_one("article details.cite-page")
    assert block is not None and not block.has_attr("open")
    assert block.select_one("summary").get_text(strip=True) == "Cite this page"
    entry = bibtex_of(soup)
    assert entry.type == "misc"
    assert plain(entry.fields["title"]) == meta["title"]
    assert [person_name(person) for person in entry.persons["author"]] == meta["authors"]
    assert entry.fields["year"] == str(meta["last_reviewed"].year)
    assert entry.fields["url"] == site.url + page_url(md)
    reviewed = meta["last_reviewed"]
    assert f"{reviewed.day} {reviewed.strftime('%B')} {reviewed.year}" in entry.fields["note"]
    text = block.select_one(".cite-page__text").get_text()
    for part in [
        *meta["authors"],
        f"({reviewed.year})",
        meta["title"],
        "Running and low back pain",
        site.url + page_url(md),
    ]:
        assert part in text, f"{md}: citation lacks {part!r}"


def test_every_bibtex_key_is_unique(site):
    keys = [bibtex_of(site.page(page_url(md))).key for md in PAGES]
    assert len(keys) == len(set(keys))


# Hostile front matter --------------------------------------------------------------------------

HOSTILE = Page(
    title='A </script><script>alert(1)</script> & 100% #1 _ "q"',
    description="</SCRIPT> <!-- & -->",
    url="https://example.org/a_b/%7Bx%7D/",
    authors=("Team & <co>", "Ada Lovelace"),
    reviewers=("Grace Hopper",),
    published=dt.date(2026, 1, 15),
    last_reviewed=dt.date(2026, 6, 1),
)
HOSTILE_SITE = Site(name="Site & name", url="https://example.org/", organisations=frozenset({"Team & <co>"}))


def test_json_ld_cannot_close_its_script_and_keeps_every_value():
    text = json_ld(HOSTILE, HOSTILE_SITE)
    assert not set("<>&") & set(text)
    data = json.loads(text)
    assert data["name"] == HOSTILE.title and data["description"] == HOSTILE.description
    assert data["author"] == [
        {"@type": "Organization", "name": "Team & <co>"},
        {"@type": "Person", "name": "Ada Lovelace"},
    ]


def test_bibtex_keeps_punctuation_as_text_and_teams_whole():
    (entry,) = parse_string(bibtex(HOSTILE, HOSTILE_SITE), "bibtex").entries.values()
    assert plain(entry.fields["title"]) == HOSTILE.title
    assert plain(entry.fields["howpublished"]) == HOSTILE_SITE.name
    assert [person_name(p) for p in entry.persons["author"]] == ["Team & <co>", "Ada Lovelace"]


def test_bibtex_braces_and_latex_specials_cannot_break_the_entry():
    page = dataclasses.replace(HOSTILE, title="Odd } title { with \\ ~ ^ $", authors=("A } and {B",))
    (entry,) = parse_string(bibtex(page, HOSTILE_SITE), "bibtex").entries.values()
    assert set(entry.fields) == {"title", "howpublished", "year", "url", "note"}
    assert entry.fields["title"] == (
        r"Odd \textbraceright{} title \textbraceleft{} with \textbackslash{} "
        r"\textasciitilde\ \textasciicircum{} \$"
    )
    assert len(entry.persons["author"]) == 2  # "and" inside a person's name still splits, as in BibTeX


def test_bibtex_reads_back_whole_with_pybtex():
    text = bibtex(HOSTILE, HOSTILE_SITE)
    assert text.startswith("@misc{sitename2026abbxd,\n    author = ")  # pybtex's layout, not a hand-made one
    ((key, entry),) = parse_string(text, "bibtex").entries.items()
    assert key == "sitename2026abbxd" and entry.type == "misc"
    assert entry.fields["year"] == "2026"
    assert plain(entry.fields["url"]) == HOSTILE.url  # pybtex escapes "_" and "%" in it; they read back
    assert entry.fields["note"] == "Published 15 January 2026; last reviewed 1 June 2026"


def test_a_hostile_title_stays_text_in_a_real_build(tmp_path):
    project = make_review_project(tmp_path / "project")
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    meta = front_matter(project / "docs" / "index.md")
    soup = BeautifulSoup((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), "html.parser")
    # Only the JSON-LD script in the head mentions the title's script; it parses back to the title.
    assert [s.get("type") for s in soup.head.select("script") if "alert" in (s.string or "")] == ["application/ld+json"]
    data = json_ld_of(soup)
    assert data["name"] == meta["title"]
    # The real pages were all published on the day they were last reviewed; this one was not.
    assert meta["published"] != meta["last_reviewed"]
    assert (data["datePublished"], data["lastReviewed"]) == (
        meta["published"].isoformat(),
        meta["last_reviewed"].isoformat(),
    )
    assert highwire_of(soup)["citation_publication_date"] == [meta["published"].strftime("%Y/%m/%d")]
    assert meta["reviewers"] and not set(meta["reviewers"]) & set(meta["authors"])  # an outside reviewer
    assert [r["name"] for r in data["reviewedBy"]] == meta["reviewers"]
    assert highwire_of(soup)["citation_title"] == [meta["title"]]
    assert highwire_of(soup)["citation_author"] == meta["authors"]
    assert bibtex_of(soup).fields["title"].startswith(r"Fixture </script><script>alert(1)</script> \& ")
    cite = soup.select_one("details.cite-page")
    assert cite.select("script") == [] and meta["title"] in cite.select_one(".cite-page__text").get_text()


def test_no_page_says_it_was_reviewed_by_the_team_that_wrote_it(site):
    """Issue 18: every page is written and checked by the editorial team and no one outside has reviewed
    it, so neither the stamp nor the JSON-LD may say "reviewed by" that team."""
    for md in PAGES:
        meta = front_matter(md)
        soup = site.page(page_url(md))
        data = json_ld_of(soup)
        stamp = " ".join(soup.select_one(".page-authors").get_text().split())
        outside = [name for name in meta["reviewers"] if name not in meta["authors"]]
        if outside:
            assert [r["name"] for r in data["reviewedBy"]] == outside and "Reviewed by: " in stamp
        else:
            assert "reviewedBy" not in data, md.name
            assert "Reviewed by" not in stamp and stamp.endswith("No review outside the team yet"), stamp
