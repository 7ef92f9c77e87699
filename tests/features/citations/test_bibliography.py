"""references.bib: parses strictly, holds each work once, keys follow authorYYYYword."""

import re
from collections import Counter

import pybtex.errors
import pytest
from conftest import BIB
from pybtex.database.input import bibtex

KEY_STYLE = re.compile(r"^[a-z]+(\d{4}|nd)[a-z0-9]+$")  # authorYYYYword; "nd" = undated web page


@pytest.fixture(scope="module")
def entries():
    before = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    try:
        return bibtex.Parser().parse_file(str(BIB)).entries
    finally:
        pybtex.errors.set_strict_mode(before)


def raw_keys() -> list[str]:
    return re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", BIB.read_text(encoding="utf-8"), re.M)


def test_parses_in_strict_mode(entries):
    assert len(entries) == len(raw_keys()) > 0


def test_no_duplicate_keys_even_ignoring_case():
    counts = Counter(key.lower() for key in raw_keys())
    assert [key for key, n in counts.items() if n > 1] == []


def test_no_two_entries_share_a_doi(entries):
    dois = Counter(e.fields["doi"].lower() for e in entries.values() if "doi" in e.fields)
    assert [doi for doi, n in dois.items() if n > 1] == []


def test_keys_follow_the_convention(entries):
    assert [key for key in entries if not KEY_STYLE.match(key)] == []


def test_articles_carry_a_doi_or_pmid_and_web_sources_a_url(entries):
    missing = []
    for key, e in entries.items():
        if e.type == "article" and not ({"doi", "pmid"} & set(e.fields.keys())):
            missing.append(key)
        if e.type != "article" and "url" not in e.fields and "doi" not in e.fields:
            missing.append(key)
    assert missing == []


def test_dois_are_bare_dois(entries):
    bad = [k for k, e in entries.items() if "doi" in e.fields and not re.match(r"^10\.\d{4,9}/\S+$", e.fields["doi"])]
    assert bad == []


def test_the_duplicate_in_the_article_is_held_once(entries):
    """The article lists Alzahrani 2019 twice (refs 9 and 17)."""
    titles = Counter(e.fields["title"].lower() for e in entries.values())
    assert [t for t, n in titles.items() if n > 1] == []
