"""The citation layer's pure logic (backpain_site/features/citations/): scanning BibTeX with lines, checks, Markdown, rendering."""

from __future__ import annotations

from pathlib import Path

from pybtex.database import parse_string

from backpain_site.features.citations.bibtex import scan_text
from backpain_site.features.citations.checks import FORMAT, IN_UNCITED, NO_ID, UNCITED, Source, check
from backpain_site.features.citations.markdown import find_citations, protect, restore, rewrite_keys
from backpain_site.features.citations.project import check_project
from backpain_site.features.citations.render import SafeBackend
from backpain_site.features.citations.style import ReaderStyle


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# --- BibTeX scanning --------------------------------------------------------------------------------


def test_entries_and_fields_know_their_lines_and_macros_expand():
    bib = scan_text(
        '@string{j = "Spine"}\n\n@article{a2020x,\n  title = {T},\n'
        '  journal = j # " Journal",\n  month = jan,\n  year = 2020\n}\n',
        "x.bib",
    )
    assert not bib.problems
    (entry,) = bib.entries
    assert (entry.key, entry.line, entry.field_line("journal"), entry.field_line("year")) == ("a2020x", 3, 5, 7)
    assert entry.get("journal") == "Spine Journal" and entry.get("year") == "2020"


def test_parenthesised_entries_comments_and_quotes_with_braces():
    bib = scan_text(
        '@comment{ignore {me}}\nstray text @ here\n@book(b2019y, title = "A {"}quoted{"} title")\n', "x.bib"
    )
    assert not bib.problems
    assert bib.entries[0].get("title") == 'A {"}quoted{"} title'


def test_every_fault_is_reported_at_its_own_line_in_one_pass():
    text = "\n".join(
        [
            "@article{a2020x,",  # 1
            "  title = {Open,",  # 2  never closed: runs to the entry's last brace
            "  year = {2020},",  # 3
            "}",  # 4
            "@article{b2020x,",  # 5
            "  title = {Fine}",  # 6  missing comma
            "  year = {2020}",  # 7
            "}",  # 8
            "@article{c2020x,",  # 9
            "  journal = nosuchmacro,",  # 10
            "}",  # 11
            "@article{,",  # 12
            "  title = {No key}}",  # 13
            "@article{d2020x, title = {A}, title = {B}}",  # 14
            "@article{e2020x, title = {Runs on",  # 15
            "@article{f2020x, title = {Fine}}",  # 16
            "@article{g2020x title = {No comma after key}}",  # 17
        ]
    )
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
    return check([scan_text(t, name) for name, t in bib_texts.items()], [Source(name, t) for name, t in pages.items()])


def test_duplicate_keys_across_files_name_both_files():
    report = run({"a.bib": "@misc{k2020x, title={A}}", "b.bib": "\n\n@misc{k2020x, title={B}}"}, {"p.md": "[@k2020x]"})
    assert messages(report.errors) == [
        'b.bib:3: duplicate key "k2020x" (first defined at a.bib:1); rename or remove one of them'
    ]


def test_unknown_key_suggests_the_closest_keys():
    report = run(
        {"a.bib": "@misc{maselli2020running, title={A}}\n@misc{maselli2021other, title={B}}"},
        {"p.md": "text\n\nSee [@maseli2020running]."},
    )
    (error,) = report.errors
    assert error.file == "p.md" and error.line == 3
    assert 'did you mean "maselli2020running"' in error.message


def test_warnings_uncited_without_identifier_and_case_only_match():
    report = run(
        {"a.bib": "@misc{a2020x, title={A}}\n@misc{b2020x, title={B}, doi={10.1000/b}}"}, {"p.md": "[@A2020X]"}
    )
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
        "a.bib:2: entry \"a2020x\": pybtex cannot read it: Too many commas in 'Smith, A., B., C.'"
    ]


def test_check_project_reads_markdown_with_front_matter_lines_kept(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text("---\ntitle: T\n---\n\nText [@nope2020x].\n")
    (tmp_path / "refs.bib").write_text("@misc{yes2020x, title={A}}\n")
    report = check_project(tmp_path, [tmp_path / "refs.bib"], [tmp_path / "docs"])
    assert messages(report.errors)[0].startswith('docs/p.md:5: unknown citation key "nope2020x"')


# --- Markdown ---------------------------------------------------------------------------------------


def test_citations_are_found_outside_code_only():
    text = (
        "A [@a2020x; @b2020x].\n`[@c2020x]` and ``[@d2020x]``\n```\n[@e2020x]\n```\n"
        "    ~~~~\n    [@f2020x]\n    ~~~~\n<!-- [@g2020x] -->\n[link @h2020x](x.md) [team@example.org]\n"
    )
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
    forms = [
        "https://doi.org/10.1000/abc_def",
        "http://dx.doi.org/10.1000/abc_def",
        "doi:10.1000/abc_def",
        "DOI: 10.1000/abc\\_def",
        "10.1000/abc_def.",
        "https://doi.org/10.1000/abc%5Fdef",
    ]
    for form in forms:
        report = run({"a.bib": f"@misc{{a2020x, title={{T}}, doi={{{form}}}}}"}, {"p.md": "[@a2020x]"})
        assert not report.errors, (form, report.errors)
        assert 'href="https://doi.org/10.1000/abc_def"' in report.formatted["a2020x"], form
    report = run(
        {
            "a.bib": "@misc{a2020x, title={T}, doi={https://doi.org/10.1000/X}}\n"
            "@misc{b2020x, title={U}, doi={10.1000/x.}}"
        },
        {"p.md": "[@a2020x; @b2020x]"},
    )
    assert [e.line for e in report.errors] == [2] and "same DOI" in report.errors[0].message
    report = run(
        {"a.bib": "@misc{a2020x, title={T}, doi={10.1000/X}}\n@misc{b2020x, title={U}, doi={10.1000/x}}"},
        {"p.md": "[@a2020x]"},
    )
    assert not report.errors and "same DOI" in report.warnings[IN_UNCITED][0].message
    report = run({"a.bib": "@misc{a2020x, title={T}, doi={see the journal}}"}, {"p.md": "[@a2020x]"})
    assert messages(report.errors) == [
        'a.bib:1: entry "a2020x": doi "see the journal" is not a DOI (a DOI looks like "10.1136/bjsports-2024-108245")'
    ]


def test_an_entry_that_cannot_be_formatted_is_a_located_error_not_a_lost_citation():
    report = run({"a.bib": "\n@article{a2020x, title={No author, journal or year}}"}, {"p.md": "[@a2020x]"})
    assert messages(report.errors) == [
        'a.bib:2: entry "a2020x": an @article needs the field "author" to be shown as a reference; '
        "add it, or use a type that doesn't need it (e.g. @misc)"
    ]


# --- issue 12: any library, any key ------------------------------------------------------------------


def test_pandoc_keys_are_found_with_their_punctuation_and_braced_keys_take_anything():
    text = (
        "See [@knuth:ct:a; @DBLP:journals/corr/abs-1901.00001] and [@Welland:TB1-1-2].\n"
        "[@arunv.thathachary_2014] [@{O'Hara_1999}] [-@a+b?c<d>e~f#g$h%i&j].\n"
    )
    cites, problems = find_citations(text, "p.md")
    assert not problems
    assert [c.key for c in cites] == [
        "knuth:ct:a",
        "DBLP:journals/corr/abs-1901.00001",
        "Welland:TB1-1-2",
        "arunv.thathachary_2014",
        "O'Hara_1999",
        "a+b?c<d>e~f#g$h%i&j",
    ]


def test_email_addresses_and_bare_at_signs_are_never_citations():
    text = "Write [contact: a@b.org] or [a@b.org], [email me @ home], [@] and team@example.org.\n"
    assert find_citations(text, "p.md") == ([], [])


def test_the_plugin_sees_exactly_the_citations_found_here_under_readable_keys():
    from backpain_site.features.citations.markdown import SENTINEL, canonical

    text = "A [@knuth:ct:a; @{O'Hara_1999}] b [contact: a@b.org] c `[@x]` d [@case2020X]:\n"
    cites, _ = find_citations(text, "p.md")
    out = canonical(
        protect(text), cites, {"knuth:ct:a": "knuth-ct-a", "O'Hara_1999": "O-Hara_1999", "case2020X": "case2020x"}
    )
    assert "[@knuth-ct-a; @O-Hara_1999]" in out and "[@case2020x]:" in out
    assert f"[contact: a{SENTINEL}b.org]" in out and f"`[{SENTINEL}x]`" in out
    assert restore(out).count("@") == text.count("@")


def test_locators_links_and_raw_html_are_located_messages():
    text = (
        "Page [@a2020x, p. 5].\n"  # 1
        "[see [@a2020x]](https://example.org)\n"  # 2
        '<div class="x">\n'  # 3
        "[@a2020x]\n"  # 4
        "</div>\n"  # 5
        '<div markdown="1">\n[@a2020x]\n</div>\n'
    )  # 6-8: processed as Markdown, fine
    cites, problems = find_citations(text, "p.md")
    assert [c.line for c in cites] == [7]
    assert [p.line for p in problems] == [1, 2, 4]
    assert 'locators such as "p. 5" are not shown' in problems[0].message
    assert "inside the text of a link" in problems[1].message
    assert "raw HTML (the <div> opened on line 3)" in problems[2].message


def test_problems_in_uncited_entries_are_warnings_and_cited_ones_errors():
    bib = (
        "@article{good2020x, author={A, B}, title={T}, journal={J}, year=2020}\n"
        "@article{bad2020x, title = {Open,\n  year = {2020},\n}\n"
        "@misc{dup2020x, title={A}}\n@misc{dup2020x, title={B}}\n"
        "@misc{junk2020x, title={T}, doi={no doi}, url={ftp://x}}\n"
        "@misc{, title={no key}}\n"
    )
    report = run({"a.bib": bib}, {"p.md": "[@good2020x]"})
    assert not report.errors
    assert [p.line for p in report.warnings[IN_UNCITED]] == [2, 6, 7, 7, 8]
    report = run({"a.bib": bib}, {"p.md": "[@good2020x] [@bad2020x] [@dup2020x] [@junk2020x]"})
    assert sorted(p.line for p in report.errors) == [2, 6, 7, 7]


def test_a_file_in_another_encoding_is_one_error_naming_the_cause_first(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text("[@a2020x] [@b2020x] [@c2020x]\n")
    (tmp_path / "refs.bib").write_bytes("@misc{a2020x, title={Café}}\n".encode("latin-1") * 3)
    report = check_project(tmp_path, [tmp_path / "refs.bib"], [tmp_path / "docs"])
    assert len(report.errors) == 1
    assert report.errors[0].line == 1 and report.errors[0].message.startswith("the file is not UTF-8 text (byte 0xE9")


def test_control_characters_are_a_located_error():
    report = run({"a.bib": "@misc{a2020x,\n  title={T\x00x}}\n"}, {"p.md": "[@a2020x]"})
    assert messages(report.errors) == [
        'a.bib:2: entry "a2020x" contains the control character U+0000, which '
        "is not text (a damaged file or a bad copy and paste?); delete it"
    ]


def test_crossref_and_xdata_inherit_as_biber_does_with_keys_in_any_case():
    bib = (
        "@incollection{part2020x, author={Smith, A.}, title={Part}, pages={1--2}, crossref={BOOK2020x}}\n"
        "@xdata{pub, publisher={Greenwood}, location={London}}\n"
        "@collection{book2020x, editor={Jones, B.}, title={Whole}, subtitle={Sub}, date={2020}, xdata={PUB}}\n"
    )
    report = run({"a.bib": bib}, {"p.md": "[@part2020x]"})
    assert not report.errors, report.errors
    assert report.formatted["part2020x"] == (
        "A. Smith. Part. In B. Jones, editor, *Whole: Sub*, pages 1–2. Greenwood, London, 2020."
    )


def test_biblatex_fields_and_types_are_read():
    bib = (
        "@online{o, author={Doe, Jane}, title={Page}, subtitle={Sub}, date={2021-03/2021-05}, "
        "url={https://example.org}, urldate={2022-01-02}}\n"
        "@article{a, author={Doe, Jane}, title={T}, journaltitle={J}, date={2019/2020}, eprinttype={pubmed}, "
        "eprint={123}}\n"
        "@report{r, author={Doe, Jane}, title={R}, institution={WHO}, type={resreport}, date={2020}}\n"
        "@thesis{t, author={Doe, Jane}, title={T}, institution={Uni}, type={mathesis}, year={2020}}\n"
        "@web_page{w, author={Doe, Jane}, title={W}, year={2020}, eprint={2101.00001}, eprinttype={arxiv}}\n"
    )
    report = run({"a.bib": bib}, {"p.md": "[@o; @a; @r; @t; @w]"})
    assert not report.errors, report.errors
    f = report.formatted
    assert f["o"] == (
        'J. Doe. Page: Sub. March–May 2021. URL: <a href="https://example.org">https://example.org</a> '
        "(accessed 2 January 2022)."
    )
    assert f["a"].startswith("J. Doe. T. *J*, 2019–2020. ") and "pubmed/123" in f["a"]
    assert f["r"] == "J. Doe. R. Research report, WHO, 2020."
    assert f["t"] == "J. Doe. T. Master's thesis, Uni, 2020."
    assert f["w"].startswith("J. Doe. W. 2020.") and "arxiv.org/abs/2101.00001" in f["w"]
    assert [p.message for p in report.warnings[FORMAT]] == [
        'entry "w": type "@web_page" is not a BibTeX or BibLaTeX type; shown as a generic work'
    ]


def test_latex_becomes_unicode_titles_keep_their_capitals_and_unknown_commands_warn():
    bib = (
        "@misc{x2020x, author={Aks{\\i}n, {\\\"O}zge and Fran\\c{c}ois, Ren{\\'e} and Stra{\\ss}e, {\\O}le},\n"
        "  title={MRI findings I/II: the \\TeX{} and \\LaTeX\\ way -- \\emph{in vivo} ---\n"
        "  \\mbox{A~B} {\\noopsort{1}}\\url{https://x.org} $\\alpha \\geq x^2$ \\=P {\\o} \\weird{word}},\n"
        "  year={2020}}\n"
    )
    report = run({"a.bib": bib}, {"p.md": "[@x2020x]"})
    assert not report.errors
    text = report.formatted["x2020x"]
    assert text == (
        "Ö. Aksın, R. François, and Ø. Straße. MRI findings I/II: the TeX and LaTeX way – <em>in vivo</em> "
        '— A\u00a0B <a href="https://x.org">https://x.org</a> α ≥ x² P̄ ø word. 2020.'
    )
    assert messages(report.warnings[FORMAT]) == [
        'a.bib:2: entry "x2020x": unknown LaTeX command "\\weird" in field "title"; only its text is shown'
    ]


def test_keys_with_punctuation_reach_the_plugin_under_an_alias_that_never_clashes():
    bib = "@misc{knuth:ct:a, title={A}}\n@misc{knuth-ct-a, title={B}}\n"
    report = run({"a.bib": bib}, {"p.md": "[@knuth:ct:a; @knuth-ct-a]"})
    assert not report.errors
    alias = report.aliases["knuth:ct:a"]
    assert alias.startswith("knuth-ct-a-") and report.aliases["knuth-ct-a"] == "knuth-ct-a"
    assert set(report.bib_data.entries) == {alias, "knuth-ct-a"}


def test_a_page_that_is_not_utf8_is_a_located_error_not_a_traceback(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_bytes("ok\n\nCafé [@a2020x]\n".encode("latin-1"))
    (tmp_path / "refs.bib").write_text("@misc{a2020x, title={A}}\n")
    report = check_project(tmp_path, [tmp_path / "refs.bib"], [tmp_path / "docs"])
    assert messages(report.errors) == ["docs/p.md:3: the page is not UTF-8 text; save it as UTF-8"]
