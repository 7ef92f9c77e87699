"""The citation layer's pure logic (citations/): scanning BibTeX with lines, checks, Markdown, rendering."""
from __future__ import annotations

from pathlib import Path

from pybtex.database import parse_string

from citations.bibtex import scan_text
from citations.checks import NO_ID, UNCITED, Source, check
from citations.markdown import find_citations, protect, restore, rewrite_keys
from citations.project import check_project
from citations.render import SafeBackend
from citations.style import ReaderStyle


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# --- BibTeX scanning --------------------------------------------------------------------------------

def test_entries_and_fields_know_their_lines_and_macros_expand():
    bib = scan_text('@string{j = "Spine"}\n\n@article{a2020x,\n  title = {T},\n'
                    '  journal = j # " Journal",\n  month = jan,\n  year = 2020\n}\n', "x.bib")
    assert not bib.problems
    (entry,) = bib.entries
    assert (entry.key, entry.line, entry.field_line("journal"), entry.field_line("year")) == ("a2020x", 3, 5, 7)
    assert entry.get("journal") == "Spine Journal" and entry.get("year") == "2020"


def test_parenthesised_entries_comments_and_quotes_with_braces():
    bib = scan_text('@comment{ignore {me}}\nstray text @ here\n@book(b2019y, title = "A {"}quoted{"} title")\n', "x.bib")
    assert not bib.problems
    assert bib.entries[0].get("title") == 'A {"}quoted{"} title'


def test_every_fault_is_reported_at_its_own_line_in_one_pass():
    text = "\n".join([
        "@article{a2020x,",          # 1
        "  title = {Open,",           # 2  never closed: runs to the entry's last brace
        "  year = {2020},",           # 3
        "}",                          # 4
        "@article{b2020x,",           # 5
        "  title = {Fine}",           # 6  missing comma
        "  year = {2020}",            # 7
        "}",                          # 8
        "@article{c2020x,",           # 9
        "  journal = nosuchmacro,",   # 10
        "}",                          # 11
        "@article{,",                 # 12
        "  title = {No key}}",        # 13
        "@article{d2020x, title = {A}, title = {B}}",  # 14
        "@article{e2020x, title = {Runs on",           # 15
        "@article{f2020x, title = {Fine}}",            # 16
        "@article{g2020x title = {No comma after key}}",  # 17
    ])
    bib = scan_text(text, "lib.bib")
    lines = [(p.line, p.message.split(":")[0]) for p in bib.problems]
    assert [line for line, _ in lines] == [2, 6, 10, 12, 14, 15, 17]
    assert "is only closed on line 4" in bib.problems[0].message
    assert 'unknown @string macro "nosuchmacro"' in bib.problems[2].message
    assert "has no citation key" in bib.problems[3].message
    assert 'field "title" appears twice (lines 14 and 14)' in bib.problems[4].message
    assert "not closed before the next entry starts on line 16" in bib.problems[5].message
    assert [e.key for e in bib.entries] == ["f2020x"]
    assert bib.broken == {"a2020x", "b2020x", "c2020x", "d2020x", "e2020x", "g2020x"}


def test_an_unclosed_brace_at_the_end_of_the_file():
    bib = scan_text("\n@misc{a2020x,\n  note = {never closed\n", "x.bib")
    assert messages(bib.problems) == ['x.bib:3: field "note": the "{" opened on line 3 is never closed']


# --- checks -----------------------------------------------------------------------------------------

def run(bib_texts: dict[str, str], pages: dict[str, str]):
    return check([scan_text(t, name) for name, t in bib_texts.items()],
                 [Source(name, t) for name, t in pages.items()])


def test_duplicate_keys_across_files_name_both_files():
    report = run({"a.bib": "@misc{k2020x, title={A}}", "b.bib": "\n\n@misc{k2020x, title={B}}"},
                 {"p.md": "[@k2020x]"})
    assert messages(report.errors) == [
        'b.bib:3: duplicate key "k2020x" (first defined at a.bib:1); rename or remove one of them']


def test_unknown_key_suggests_the_closest_keys():
    report = run({"a.bib": "@misc{maselli2020running, title={A}}\n@misc{maselli2021other, title={B}}"},
                 {"p.md": "text\n\nSee [@maseli2020running]."})
    (error,) = report.errors
    assert error.file == "p.md" and error.line == 3
    assert 'did you mean "maselli2020running"' in error.message


def test_warnings_uncited_without_identifier_and_case_only_match():
    report = run({"a.bib": "@misc{a2020x, title={A}}\n@misc{b2020x, title={B}, doi={10.1000/b}}"},
                 {"p.md": "[@A2020X]"})
    assert not report.errors
    assert report.renames == {"A2020X": "a2020x"}
    assert messages(report.warnings[UNCITED]) == ['a.bib:2: "b2020x" is never cited']
    assert [p.line for p in report.warnings[NO_ID]] == [1]


def test_only_cited_entries_and_macros_reach_pybtex():
    bib = '@string{j = "Spine"}\n@misc{a2020x, title={A}, journal=j}\n@misc{b2020x, title={B}}\n'
    report = run({"a.bib": bib}, {"p.md": "[@a2020x]"})
    parsed = parse_string(report.bib_text, "bibtex")
    assert list(parsed.entries) == ["a2020x"] and parsed.entries["a2020x"].fields["journal"] == "Spine"


def test_pybtex_faults_in_cited_entries_are_located():
    report = run({"a.bib": "\n@article{a2020x, author = {Smith, A., B., C.}, title={A}}"}, {"p.md": "[@a2020x]"})
    assert messages(report.errors) == [
        'a.bib:2: entry "a2020x": pybtex cannot read it: Too many commas in \'Smith, A., B., C.\'']


def test_check_project_reads_markdown_with_front_matter_lines_kept(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text("---\ntitle: T\n---\n\nText [@nope2020x].\n")
    (tmp_path / "refs.bib").write_text("@misc{yes2020x, title={A}}\n")
    report = check_project(tmp_path, [tmp_path / "refs.bib"], [tmp_path / "docs"])
    assert messages(report.errors)[0].startswith('docs/p.md:5: unknown citation key "nope2020x"')


# --- Markdown ---------------------------------------------------------------------------------------

def test_citations_are_found_outside_code_only():
    text = ("A [@a2020x; @b2020x].\n`[@c2020x]` and ``[@d2020x]``\n```\n[@e2020x]\n```\n"
            "    ~~~~\n    [@f2020x]\n    ~~~~\n<!-- [@g2020x] -->\n[link @h2020x](x.md) [team@example.org] [^fn]\n")
    cites, problems = find_citations(text, "p.md")
    assert [(c.key, c.line) for c in cites] == [("a2020x", 1), ("b2020x", 1)] and not problems


def test_protect_hides_code_citations_from_the_plugin_and_restore_puts_them_back():
    text = "Cite [@a2020x] not `[@b2020x]`.\n```\n[@c2020x]\n```\n"
    hidden = protect(text)
    assert "[@a2020x]" in hidden and "[@b2020x]" not in hidden and "[@c2020x]" not in hidden
    assert restore(hidden) == text


def test_rewrite_keys_changes_citations_but_not_code():
    text = "[@A2020X] and `[@A2020X]`"
    assert rewrite_keys(text, {"A2020X": "a2020x"}) == "[@a2020x] and `[@A2020X]`"


# --- rendering --------------------------------------------------------------------------------------

def render(bib: str) -> str:
    entry = next(iter(parse_string(bib, "bibtex").entries.values()))
    return ReaderStyle().format_entry("", entry).text.render(SafeBackend())


def test_only_web_links_become_links():
    out = render("@misc{a2020x, title={T}, url={javascript:alert(1)}, year=2020}")
    assert "<a " not in out and "](javascript" not in out and "javascript:alert" in out
    out = render('@misc{a2020x, title={T}, url={https://example.org/a"b}, year=2020}')
    assert "<a " not in out
    out = render("@misc{a2020x, title={T}, url={https://example.org/a?b=1&c=2}, year=2020}")
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in out


def test_html_in_fields_is_escaped_text():
    out = render("@misc{a2020x, title={<script>x</script> <img src=y onerror=z>}, year=2020}")
    assert "<script>" not in out and "<img" not in out and "&lt;script&gt;" in out


def test_old_dois_with_angle_brackets_are_dois_and_link_safely():
    sici = "10.1002/(SICI)1097-4636(199812)43:4<448::AID-JBM13>3.0.CO;2-#"
    report = run({"a.bib": f"@misc{{a2020x, title={{T}}, doi={{{sici}}}}}"}, {"p.md": "[@a2020x]"})
    assert not report.errors
    out = render(f"@article{{a2020x, author={{Smith, A.}}, title={{T}}, journal={{J}}, year=2020, doi={{{sici}}}}}")
    assert 'href="https://doi.org/10.1002/(SICI)1097-4636(199812)43:4%3C448::AID-JBM13%3E3.0.CO;2-#"' in out
    assert "<448" not in out


def test_dois_in_any_common_written_form_are_normalised_before_linking_and_duplicate_detection():
    forms = ["https://doi.org/10.1000/abc_def", "http://dx.doi.org/10.1000/abc_def", "doi:10.1000/abc_def",
             "DOI: 10.1000/abc\\_def", "10.1000/abc_def.", "https://doi.org/10.1000/abc%5Fdef"]
    for form in forms:
        report = run({"a.bib": f"@misc{{a2020x, title={{T}}, doi={{{form}}}}}"}, {"p.md": "[@a2020x]"})
        assert not report.errors, (form, report.errors)
        assert 'href="https://doi.org/10.1000/abc_def"' in report.formatted["a2020x"], form
    report = run({"a.bib": "@misc{a2020x, title={T}, doi={https://doi.org/10.1000/X}}\n"
                           "@misc{b2020x, title={U}, doi={10.1000/x.}}"}, {"p.md": "[@a2020x; @b2020x]"})
    assert [e.line for e in report.errors] == [2, 2] and "same DOI" in report.errors[0].message
    report = run({"a.bib": "@misc{a2020x, title={T}, doi={see the journal}}"}, {"p.md": "[@a2020x]"})
    assert messages(report.errors) == ['a.bib:1: entry "a2020x": doi "see the journal" is not a DOI '
                                       '(a DOI looks like "10.1136/bjsports-2024-108245")']


def test_an_entry_that_cannot_be_formatted_is_a_located_error_not_a_lost_citation():
    report = run({"a.bib": "\n@article{a2020x, title={No author, journal or year}}"}, {"p.md": "[@a2020x]"})
    assert messages(report.errors) == [
        'a.bib:2: entry "a2020x": an @article needs the field "author" to be shown as a reference; '
        "add it, or use a type that doesn't need it (e.g. @misc)"]
