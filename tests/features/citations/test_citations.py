"""Citations: every [@key] resolves, numbers run 1, 2, 3 per page, and each links to its reference."""

import re

import pytest
from conftest import BIB, ROOT, markdown_pages, page_url, strip_code
from pybtex.database import parse_file

BLOCK = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
KEY = re.compile(r"@([^\s;,\]]+)")


def cited_keys(md) -> list[str]:
    text = strip_code(md.read_text(encoding="utf-8"))
    return [key for block in BLOCK.findall(text) for key in KEY.findall(block)]


@pytest.fixture(scope="module")
def bib():
    return parse_file(str(BIB)).entries


def test_every_cited_key_is_in_references_bib(bib):
    unknown = [(str(md), key) for md in markdown_pages() for key in cited_keys(md) if key not in bib]
    assert unknown == []


def test_no_raw_citation_is_left_in_any_html_page(site):
    leftovers = [str(p.relative_to(site.root)) for p in site.html_files() if "[@" in p.read_text(encoding="utf-8")]
    assert leftovers == []


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.name)
def test_numbers_run_in_order_of_first_use_and_link_to_the_list(site, md, bib):
    soup = site.page(page_url(md))
    article = soup.select_one("article")
    refs = article.select("a.footnote-ref[id^='fnref']")
    items = article.select("div.footnote > ol > li")
    if not refs:
        assert not items, f"{md}: reference list without citations"
        return
    first_seen = []
    for a in refs:
        target = a["href"].removeprefix("#fn:")
        if target not in first_seen:
            first_seen.append(target)
        number = int(a.get_text(strip=True))
        assert number == first_seen.index(target) + 1, f"{md}: citation of {target} shows [{number}]"
    # the list has exactly the cited works, in the same order, one item per work
    assert [li["id"].removeprefix("fn:") for li in items] == first_seen
    heading = article.select_one("h2#references")
    assert heading is not None, f"{md}: reference list has no References heading"
    for li in items:
        key = li["id"].removeprefix("fn:")
        doi = bib[key].fields.get("doi")
        if doi:
            assert li.select_one(f'a[href="https://doi.org/{doi}"]'), f"{md}: {key} does not link to doi.org"


def test_every_cited_page_uses_the_citation_it_wrote(site):
    """Nothing is silently dropped: each distinct key in the Markdown appears in that page's list."""
    for md in markdown_pages():
        keys = set(cited_keys(md))
        listed = {li["id"].removeprefix("fn:") for li in site.page(page_url(md)).select("div.footnote > ol > li")}
        assert keys <= listed, f"{md}: cited but not listed: {sorted(keys - listed)}"


def test_references_page_lists_every_cited_entry_once(site, bib):
    """Every work the pages (and the help box on every page) cite; an uncited .bib entry is not a source."""
    cited = {key for md in [*markdown_pages(), ROOT / "includes" / "help-box.md"] for key in cited_keys(md)}
    soup = site.page("references/")
    listed = [li["id"].removeprefix("ref-") for li in soup.select("ul.bibliography > li")]
    assert sorted(listed) == sorted(cited)
    for li in soup.select("ul.bibliography > li"):
        doi = bib[li["id"].removeprefix("ref-")].fields.get("doi")
        if doi:
            assert li.select_one(f'a[href="https://doi.org/{doi}"]')


def test_touching_citation_numbers_are_separated(site):
    """[@a; @b] must not render as "12": the numbers are separated."""
    number_then_number = re.compile(r'class="footnote-ref"[^>]*>\d+</a><a [^>]*class="footnote-ref"')
    touching = [
        str(p.relative_to(site.root))
        for p in site.html_files()
        if number_then_number.search(p.read_text(encoding="utf-8"))
    ]
    assert touching == []
    assert site.page("").select("sup.citation-separator"), "the home page cites several works at once"


def test_reference_lists_shorten_long_author_lists(site):
    item = site.page("run-walk-trial/").select_one("li#fn\\:neason2025running")
    assert item.get_text().strip().startswith("C. Neason, C. L. Samanna, S. D. Tagliaferri, et al.")
