"""Pure logic of the care cards, the citation listing, marks and style, and front-matter messages;
and their behaviour in a real (fixture) build."""

import pytest
from conftest import FIXTURES, run_build
from markdown_steps import render_with
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import parse_string

from backpain_site.features.care_cards import append_help_box, wants_help_box
from backpain_site.features.citations.listing import HEADING, add_references_heading, render_bibliography, sort_key
from backpain_site.features.citations.marks import SEPARATOR_CLASS, lighten, separate_citations
from backpain_site.features.citations.style import ReaderStyle
from backpain_site.kernel.front_matter import field_line, located

# help_box ---------------------------------------------------------------------------------------


def test_help_box_is_on_by_default_and_off_on_the_help_page():
    assert wants_help_box("how-common.md", {}) is True
    assert wants_help_box("when-to-get-help.md", {}) is False


def test_help_box_can_be_switched_off_per_page():
    assert wants_help_box("about.md", {"help_box": False}) is False


@pytest.mark.parametrize("value", ["maybe", "false", 0, None])
def test_help_box_rejects_non_boolean_values(value):
    with pytest.raises(ValueError, match="must be true or false"):
        wants_help_box("about.md", {"help_box": value})


def test_help_box_goes_after_the_last_line():
    assert append_help_box("Text.\n\n\n", "!!! warning\n") == "Text.\n\n!!! warning\n"


# front matter locations ---------------------------------------------------------------------------


def test_field_line_finds_the_field_inside_front_matter_only():
    text = "---\ntitle: X\nhelp_box: maybe\n---\nhelp_box: in the body\n"
    assert field_line(text, "help_box") == 3
    assert field_line("---\ntitle: X\n---\nhelp_box: body\n", "help_box") == 1
    assert field_line("no front matter", "title") == 1


def test_located_message_names_file_line_and_problem(tmp_path):
    page = tmp_path / "docs" / "a.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: A\nhelp_box: maybe\n---\n", encoding="utf-8")
    message = located(page, "help_box", "must be true or false", base=tmp_path)
    assert message == 'docs/a.md:3: front matter field "help_box": must be true or false'


# references heading -------------------------------------------------------------------------------


def test_references_heading_goes_before_the_first_footnote_definition():
    markdown = "Claim.[^a]\n\n[^a]: Ref A.\n[^b]: Ref B.\n"
    out = add_references_heading(markdown)
    assert out == "Claim.[^a]\n\n" + HEADING + "\n\n[^a]: Ref A.\n[^b]: Ref B.\n"


def test_pages_without_references_get_no_heading():
    assert add_references_heading("No citations here.\n") == "No citations here.\n"


# full bibliography --------------------------------------------------------------------------------

BIB = r"""
@article{zeta2020a, author = {Zeta, Anna}, title = {Z}, journal = {J}, year = {2020}}
@article{belavy2017b, author = {Belav{\'y}, Daniel}, title = {B}, journal = {J}, year = {2017}}
@misc{nhsnda, author = {{NHS}}, title = {Back pain}}
@misc{anon2019, title = {Anonymous page}, year = {2019}}
@article{alpha2021c, author = {de Alpha, Carl}, title = {A}, journal = {J}, year = {2021}}
"""


def test_bibliography_is_sorted_by_surname_with_latex_and_institutions():
    entries = parse_string(BIB, "bibtex").entries
    order = sorted(entries, key=lambda k: sort_key(k, entries[k]))
    assert order == ["anon2019", "belavy2017b", "alpha2021c", "nhsnda", "zeta2020a"]


def test_bibliography_lists_every_entry_once_with_a_stable_id():
    entries = parse_string(BIB, "bibtex").entries
    html = render_bibliography(entries, lambda key: f"text of {key}")
    for key in entries:
        assert html.count(f'id="ref-{key}"') == 1
        assert f"text of {key}</li>" in html
    assert html.startswith('<ul class="bibliography" markdown>')


# a real build with bad front matter ---------------------------------------------------------------


def test_bad_front_matter_stops_the_build_with_file_line_and_problem(tmp_path):
    # Built in place (its mkdocs.yml reaches the real hooks three folders up); output goes to tmp.
    result = run_build(FIXTURES / "bad-front-matter", tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/index.md:3: front matter field \"help_box\": must be true or false, not 'maybe'" in log
    assert "Traceback" not in log


# citation marks -----------------------------------------------------------------------------------


SEPARATOR = f'<sup class="{SEPARATOR_CLASS}">,</sup>'
NOTES = "\n\n[^a]: A.\n[^b]: B.\n"


def test_touching_citation_numbers_get_a_separator():
    html = render_with("x[^a][^b]. y[^a]" + NOTES, separate_citations)
    assert '<a class="footnote-ref" href="#fn:a">1</a></sup>' + SEPARATOR + '<sup id="fnref:b">' in html
    assert html.count(SEPARATOR) == 1  # ". y" stands between the second pair


def test_citations_with_text_between_are_left_alone():
    html = render_with("x[^a] and[^b]" + NOTES, separate_citations)
    assert SEPARATOR_CLASS not in html


def test_a_citation_is_its_link_alone_and_keeps_its_id():
    """No <sup> around a citation number (issue 19: every element costs a phone at start-up)."""
    html = render_with("x[^a][^b]. y[^a]" + NOTES, lighten)
    assert '<sup id="fnref' not in html
    assert (
        '<a class="footnote-ref" href="#fn:a" id="fnref:a">1</a>'
        + SEPARATOR
        + ('<a class="footnote-ref" href="#fn:b" id="fnref:b">2</a>. y')
        in html
    )
    assert '<a class="footnote-ref" href="#fn:a" id="fnref2:a">1</a>' in html
    assert 'href="#fnref:a"' in html  # the back-link still finds the first citation


def test_a_reference_list_entry_holds_its_text_without_a_paragraph():
    html = render_with("x[^a] y[^b] z[^a]\n\n[^a]: A *one*.\n[^b]: B.\n\n    Second paragraph.\n", lighten)
    entry_a = html.split('<li id="fn:a">', 1)[1].split("</li>", 1)[0]
    assert entry_a.startswith("\nA <em>one</em>.") and "<p>" not in entry_a
    assert entry_a.count("footnote-backref") == 1 and entry_a.endswith("</a>\n")  # the text's line breaks stay
    entry_b = html.split('<li id="fn:b">', 1)[1].split("</li>", 1)[0]
    assert entry_b.count("<p>") == 2  # an entry of two paragraphs keeps them


def test_each_reference_keeps_one_back_link_and_the_list_stays_out_of_search():
    html = render_with("x[^a], y[^a], z[^a][^b]" + NOTES, lighten)
    assert html.count('class="footnote-backref"') == 2  # one per entry, not one per citation
    assert '<div class="footnote" data-search-exclude' in html


# reference style ----------------------------------------------------------------------------------


AUTHORS = r"""
@article{many2020x, author = {Neason, Christopher and Samanna, Claire L. and Tagliaferri, Scott D. and Belav{\'y}, Daniel L.},
  title = {Many}, journal = {J}, year = {2020}}
@article{two2020x, author = {Belav{\'y}, Daniel L. and Owen, Patrick J.}, title = {Two}, journal = {J}, year = {2020}}
"""


def formatted(key):
    entry = parse_string(AUTHORS, "bibtex").entries[key]
    return ReaderStyle().format_entry(key, entry).text.render(TextBackend())


def test_more_than_three_authors_become_three_and_et_al():
    assert formatted("many2020x").startswith("C. Neason, C. L. Samanna, S. D. Tagliaferri, et al. Many.")


def test_up_to_three_authors_are_all_listed_with_initials():
    assert formatted("two2020x").startswith("D. L. Belavý and P. J. Owen. Two.")
