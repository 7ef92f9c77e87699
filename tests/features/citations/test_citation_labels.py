"""backpain_site/features/citations/labels.py: every citation number gets a spoken name naming the work."""

from markdown_steps import render_with
from pybtex.database import parse_string

from backpain_site.features.citations.labels import citation_name, distinct_names, label_tree

BIB = parse_string(
    r"""
@article{maselli2020prevalence, author = {Maselli, F. and Storari, L.}, title = {Prevalence}, year = {2020}}
@article{belavy2017running, author = {Belav{\'y}, Daniel L.}, title = {Running}, year = {2017}}
@article{mohdisa2023discogenic, author = {Mohd Isa, I. L. and Teoh, S. L.}, title = {Discs}, year = {2023}}
@techreport{nice2016ng59, author = {{National Institute for Health and Care Excellence}}, title = {Low back pain}, year = {2016}}
@misc{anzctr2022asteroid, title = {Assessing Safety}, howpublished = {Australian New Zealand Clinical Trials Registry}, year = {2022}}
@misc{nhsndbackpain, author = {{NHS}}, title = {Back pain}}
@misc{untitledthing, title = {One two three four five six seven eight}}
""",
    "bibtex",
).entries


def test_name_is_first_author_surname_and_year():
    assert citation_name("maselli2020prevalence", BIB["maselli2020prevalence"]) == "Maselli 2020"


def test_latex_accents_and_two_word_surnames_read_as_text():
    assert citation_name("belavy2017running", BIB["belavy2017running"]) == "Belavý 2017"
    assert citation_name("mohdisa2023discogenic", BIB["mohdisa2023discogenic"]) == "Mohd Isa 2023"


def test_organisation_as_author_loses_its_braces():
    assert (
        citation_name("nice2016ng59", BIB["nice2016ng59"]) == "National Institute for Health and Care Excellence 2016"
    )


def test_no_author_falls_back_to_the_publisher_then_a_short_title():
    assert citation_name("anzctr2022asteroid", BIB["anzctr2022asteroid"]) == (
        "Australian New Zealand Clinical Trials Registry 2022"
    )
    assert citation_name("untitledthing", BIB["untitledthing"]) == "One two three four five six… n.d."


def test_undated_work_says_no_date():
    assert citation_name("nhsndbackpain", BIB["nhsndbackpain"]) == "NHS n.d."


def test_unknown_key_is_named_by_its_key():
    assert citation_name("ghost2020", None) == "ghost2020"


def labelled(text: str) -> str:
    return render_with(text, lambda root: label_tree(root, BIB))


def test_every_citation_link_gets_its_own_label_and_keeps_its_number():
    out = labelled(
        "Text[^maselli2020prevalence][^nhsndbackpain].\n\n[^maselli2020prevalence]: M.\n[^nhsndbackpain]: N.\n"
    )
    assert 'aria-label="Reference 1: Maselli 2020" class="footnote-ref" href="#fn:maselli2020prevalence">1</a>' in out
    assert 'aria-label="Reference 2: NHS n.d." class="footnote-ref" href="#fn:nhsndbackpain">2</a>' in out
    assert out.count("aria-label=") == 2


def test_other_links_are_left_alone():
    out = labelled("[see](#fn:maselli2020prevalence) and a note[^a]\n\n[^a]: A.\n")
    assert out.count("aria-label=") == 1 and 'aria-label="Reference 1: a 1"' not in out
    assert '<a href="#fn:maselli2020prevalence">see</a>' in out


def test_two_works_with_the_same_name_are_told_apart_by_title():
    entries = parse_string(
        r"""
@article{hoegh2023central1, author = {Hoegh, Morten}, title = {Pain Science in Practice (Part 4): Central Sensitization I}, year = {2023}}
@article{hoegh2023central2, author = {Hoegh, Morten}, title = {Pain Science in Practice (Part 5): Central Sensitization II}, year = {2023}}
@article{belavy2017running, author = {Belav{\'y}, Daniel L.}, title = {Running}, year = {2017}}
""",
        "bibtex",
    ).entries
    names = distinct_names(entries)
    assert names["hoegh2023central1"] == "Hoegh 2023, Pain Science in Practice (Part 4):…"
    assert names["hoegh2023central2"] == "Hoegh 2023, Pain Science in Practice (Part 5):…"
    assert names["belavy2017running"] == "Belavý 2017"
