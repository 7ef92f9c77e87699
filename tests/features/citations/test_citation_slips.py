"""The editor's slips, one each: every key shape keeps every feature, and each slip gets its own message.

Each test writes a minimal project (the study fixture site: citations and evidence badges), runs the
editor's check (`python -m backpain_site.features.citations check`) and `mkdocs build --strict`, and
asserts that both say the same located message (or both pass and the page has what it should).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, run_build, run_check

STUDY_BASE = FIXTURES / "studies" / "base"


def project(
    tmp: Path,
    bib_extra: str = "",
    page: str | None = None,
    studies: dict[str, int] | None = None,
    bib: str | None = None,
) -> Path:
    """The study fixture site, plus `bib_extra` entries, `page` as its only page and a study entry
    (design cohort, `n` adults) for each key in `studies`."""
    dest = tmp / "project"
    shutil.copytree(STUDY_BASE, dest)
    (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
    path = dest / "references.bib"
    path.write_text(bib if bib is not None else path.read_text(encoding="utf-8") + bib_extra, encoding="utf-8")
    if page is not None:
        (dest / "docs" / "index.md").write_text(page, encoding="utf-8")
    entries = "".join(
        f'\n  - key: "{key}"\n    design: cohort\n    participants: null\n'
        f"    size: {{count: {n}, unit: adults}}\n    duration: null\n"
        f'    finding: "A finding."\n    limits: []\n'
        for key, n in (studies or {}).items()
    )
    data = dest / "data" / "studies.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("\ncharts:", entries + "\ncharts:", 1), encoding="utf-8")
    return dest


def both(dest: Path, *check_args: str):
    """(check, build) of the project: the editor's check and the strict build."""
    return run_check(dest, *check_args), run_build(dest, dest / "site")


def assert_both_say(dest: Path, message: str) -> None:
    """The check and the build fail, and each prints `message` (one located line)."""
    check, build = both(dest)
    assert check.returncode == 1, check.stdout + check.stderr
    assert build.returncode == 1, build.stdout + build.stderr
    for out in (check.stdout, build.stdout + build.stderr):
        assert "Traceback" not in out
        lines = [line.strip() for line in out.splitlines()]
        assert message in lines, out


def entry(key: str, extra: str = "", n: int = 1) -> str:
    return (
        f"\n@article{{{key},\n  author  = {{Doe, Jane}},\n  title   = {{Work {n}}},\n  journal = {{J}},\n"
        f"  year    = {{2020}},\n  doi     = {{10.1000/w.{n}}}{extra}\n}}\n"
    )


KEEP = "\nAlso [@muller2020asteroid] and [@smith2019review].\n\n<!-- chart effects -->\n"


# --- every key shape keeps its badge --------------------------------------------------------------


def test_keys_with_punctuation_and_unicode_letters_keep_reference_badge_back_link_and_name(tmp_path):
    keys = ["auth:2020", "müller2020gehen", "DBLP:conf/x/Doe20", "Author.Author.ea.2016", "a+b#c$d%e&f?g<h>i~j"]
    bib = "".join(entry(k, n=i) for i, k in enumerate(keys))
    page = (
        "# P\n\n"
        + "".join(f"A work [@{k}].\n\n" for k in keys[:4])
        + "Braced [@{a+b#c$d%e&f?g<h>i~j}].\n"
        + KEEP
        + "\n<!-- studies-table -->\n"
        + "\nIt had 10 adults [@auth:2020]; the other had 11 [@müller2020gehen].\n"
    )  # figures tied by the real key
    dest = project(tmp_path, bib, page, {k: 10 + i for i, k in enumerate(keys)})
    check, build = both(dest)
    assert check.returncode == 0 and build.returncode == 0, check.stdout + build.stdout + build.stderr
    soup = BeautifulSoup((dest / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select("div.footnote li")
    assert len(items) == len(keys) + 2
    for i, key in enumerate(keys):
        li = next(li for li in items if f"Work {i}." in li.get_text())
        badge = li.select_one(".evidence-badge")
        assert badge is not None, f"{key}: no badge in {li}"
        assert f"{10 + i}\u00a0adults" in badge.get_text() or f"{10 + i} adults" in badge.get_text(), badge
        assert li.select_one("a.footnote-backref") is not None, key
    table = soup.select_one("div.studies-table").get_text()
    assert not [k for k in keys if k in table], table  # each work by its name, not its raw key


# --- the .bib scanner ------------------------------------------------------------------------------


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path):
    bib = (
        entry("ok2020", n=1) + '\n@article{quote2020,\n  title = "Unclosed title,\n  author = {Doe, J.},\n'
        "  journal = {J},\n  year = {2020}\n}\n"
    )
    dest = project(tmp_path, bib, "# P\n\nA [@quote2020].\n" + KEEP, {"quote2020": 3})
    line = (dest / "references.bib").read_text().splitlines().index('  title = "Unclosed title,') + 1
    end = line + 4
    assert_both_say(
        dest,
        f'references.bib:{line}: field "title": the \'"\' opened on line {line} is not closed '
        f'before the "}}" on line {end} (a missing closing \'"\' on line {line}?)',
    )


def test_a_line_starting_like_an_entry_inside_braces_is_text(tmp_path):
    bib = entry("handle2020", ",\n  abstract = {We quote the account\n@jack{ on the web} and\n  @ada{x} as sources.}")
    dest = project(tmp_path, bib, "# P\n\nA [@handle2020].\n" + KEEP, {"handle2020": 3})
    check, build = both(dest)
    assert check.returncode == 0, check.stdout
    assert build.returncode == 0, build.stdout + build.stderr


def test_a_missing_brace_before_the_next_entry_is_still_found(tmp_path):
    bib = "\n@article{lost2020,\n  title = {Lost,\n  year = {2020}\n\n" + entry("next2020", n=2)
    dest = project(tmp_path, bib, "# P\n\nA [@lost2020].\n" + KEEP, {"lost2020": 3})
    line = (dest / "references.bib").read_text().splitlines().index("  title = {Lost,") + 1
    assert_both_say(
        dest,
        f'references.bib:{line}: field "title": the "{{" opened on line {line} is not closed '
        f'before the next entry starts on line {line + 4} (a missing "}}"?)',
    )


def test_a_key_with_a_space_names_the_key_and_citing_it_explains(tmp_path):
    bib = "\n@article{smith 2020,\n  title = {T},\n  journal = {J},\n  year = {2020}\n}\n"
    dest = project(tmp_path, bib, "# P\n\nA [@{smith 2020}].\n" + KEEP)
    line = (dest / "references.bib").read_text().splitlines().index("@article{smith 2020,") + 1
    assert_both_say(
        dest,
        f'references.bib:{line}: @article entry "smith 2020": a citation key cannot contain a '
        f"space (BibTeX and biber end the key at the first one); write it without spaces, "
        f'e.g. "smith2020"',
    )


def test_citing_a_key_with_a_space_that_no_entry_has_explains_why(tmp_path):
    dest = project(tmp_path, "", "# P\n\nA [@{jones 2021}].\n" + KEEP)
    assert_both_say(
        dest,
        'docs/index.md:3: unknown citation key "jones 2021": no entry with this key in the '
        ".bib file; a BibTeX key cannot contain a space (BibTeX ends the key at the first one), "
        "so write the key without spaces in the .bib file and here, e.g. [@jones2021]",
    )


def test_a_missing_comma_after_the_key_names_the_key(tmp_path):
    bib = "\n@article{smith2020\n  title = {T},\n  journal = {J},\n  year = {2020}\n}\n"
    dest = project(tmp_path, bib, "# P\n\nA [@smith2020].\n" + KEEP)
    line = (dest / "references.bib").read_text().splitlines().index("@article{smith2020") + 1
    assert_both_say(
        dest,
        f'references.bib:{line}: @article entry "smith2020": no comma after the key (the fields '
        f"start at 'title' on line {line + 1}); write \"@article{{smith2020,\"",
    )


# --- the file itself ---------------------------------------------------------------------------------


def test_an_empty_bib_file_is_one_message(tmp_path):
    dest = project(tmp_path, bib="")
    check, build = both(dest)
    message = (
        "references.bib:1: the file is empty, so none of the 2 cited keys can be found; put the "
        "bibliography back (your reference manager's BibTeX export, or the last committed version)"
    )
    for out in (check.stdout, build.stdout + build.stderr):
        assert message in [line.strip() for line in out.splitlines()], out
        assert "unknown citation key" not in out


def test_a_missing_bib_file_names_mkdocs_yml_and_the_file(tmp_path):
    dest = project(tmp_path)
    (dest / "references.bib").unlink()
    line = (dest / "mkdocs.yml").read_text().splitlines().index("      bib_file: references.bib") + 1
    assert_both_say(
        dest,
        f'mkdocs.yml:{line}: the bibtex plugin\'s bib_file "references.bib" does not exist '
        f"(no file at {dest / 'references.bib'}); put the bibliography back there, or correct "
        f"bib_file",
    )


def test_a_missing_bib_file_names_the_config_file_given_with_f_and_its_line(tmp_path):
    """`mkdocs build -f site.yml` from another folder: the message names that file and its bib_file
    line (found through the plugins list), not a ./mkdocs.yml that is not the config."""
    dest = project(tmp_path)
    (dest / "references.bib").unlink()
    text = (dest / "mkdocs.yml").read_text().replace("plugins:\n", "plugins:\n  - search\n", 1)
    (dest / "site.yml").write_text(text)
    (dest / "mkdocs.yml").unlink()
    line = text.splitlines().index("      bib_file: references.bib") + 1
    message = (
        f'site.yml:{line}: the bibtex plugin\'s bib_file "references.bib" does not exist '
        f"(no file at {dest / 'references.bib'}); put the bibliography back there, or correct bib_file"
    )
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = str(dest / "site.yml")
    check = subprocess.run(
        [sys.executable, "-m", "backpain_site.features.citations", "check", "-f", config],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(tmp_path / "out")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    for out in (check, build):
        assert out.returncode == 1, out.stdout + out.stderr
        assert message in [line.strip() for line in (out.stdout + out.stderr).splitlines()], out.stdout + out.stderr


def test_the_sites_own_config_reports_a_missing_bib_file_itself(tmp_path):
    """The site's mkdocs.yml: MkDocs' `watch:` must not answer first with its own words."""
    dest = tmp_path / "site"
    dest.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("docs", "data", "includes", "overrides", "backpain_site"):
        (dest / name).symlink_to(ROOT / name)
    check = run_check(dest)
    assert "isn't an existing file" not in check.stdout, check.stdout
    assert re.search(
        r"^  mkdocs\.yml:\d+: the bibtex plugin's bib_file \"references\.bib\" does not exist", check.stdout, re.M
    ), check.stdout


# --- pages -------------------------------------------------------------------------------------------


def test_a_citation_in_front_matter_is_a_located_error(tmp_path):
    page = "---\ntitle: P\ndescription: Who writes [@smith2019review] this site\n---\n\n# P\n" + KEEP
    dest = project(tmp_path, "", page)
    assert_both_say(
        dest,
        'docs/index.md:3: citation [@smith2019review] in the front matter (field "description"): '
        "it cannot become a numbered reference there, and readers would see it as written in the "
        "page's description, link previews and search results; remove it (cite in the page's "
        "text instead)",
    )


def test_a_plain_footnote_is_refused_where_it_is_written(tmp_path):
    page = "# P\n\nA note[^note] and a citation [@smith2019review].\n\n[^note]: An aside.\n" + KEEP
    dest = project(tmp_path, "", page)
    assert_both_say(
        dest,
        "docs/index.md:3: footnote [^note]: this site's numbered notes are its references, so a "
        'footnote would take a citation\'s number and be read out as "Reference 1". Write the '
        "note in the text (or in a note box, !!! note), and cite its source with [@key]",
    )


# --- fields ------------------------------------------------------------------------------------------


def test_a_url_with_a_space_is_quoted_as_written(tmp_path):
    bib = entry("spaced2020", ",\n  url = {https://example.org/my file.pdf}")
    dest = project(tmp_path, bib, "# P\n\nA [@spaced2020].\n" + KEEP, {"spaced2020": 3})
    line = (dest / "references.bib").read_text().splitlines().index("  url = {https://example.org/my file.pdf}") + 1
    assert_both_say(
        dest,
        f'references.bib:{line}: entry "spaced2020": url "https://example.org/my file.pdf" '
        f"contains a space, which a web address cannot contain; remove the space, or write "
        f"%20 where the address really has one",
    )


def test_a_url_message_quotes_the_file_not_the_cleaned_url(tmp_path):
    bib = entry("ftp2020", ",\n  url = {\\url{ftp://example.org/a\\_b}}")
    dest = project(tmp_path, bib, "# P\n\nA [@ftp2020].\n" + KEEP, {"ftp2020": 3})
    line = (dest / "references.bib").read_text().splitlines().index("  url = {\\url{ftp://example.org/a\\_b}}") + 1
    assert_both_say(
        dest,
        f'references.bib:{line}: entry "ftp2020": url "\\url{{ftp://example.org/a\\_b}}" is not a '
        f"web address (only http:// and https:// links are allowed)",
    )


def test_href_and_url_in_a_note_keep_their_links(tmp_path):
    bib = entry(
        "linked2020",
        ",\n  note = {See \\href{https://example.org/a\\_b?x=1}{the trial page} and "
        "\\url{https://example.org/c\\%20d}; \\href{javascript:alert(1)}{not a link}}",
    )
    dest = project(tmp_path, bib, "# P\n\nA [@linked2020].\n" + KEEP, {"linked2020": 3})
    check, build = both(dest)
    assert check.returncode == 0 and build.returncode == 0, check.stdout + build.stdout + build.stderr
    soup = BeautifulSoup((dest / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    li = next(li for li in soup.select("div.footnote li") if "Work 1" in li.get_text())
    links = {a.get_text(): a["href"] for a in li.select("a") if "footnote-backref" not in (a.get("class") or [])}
    assert links.get("the trial page") == "https://example.org/a_b?x=1", links
    assert links.get("https://example.org/c%20d") == "https://example.org/c%20d", links
    assert "not a link" in li.get_text() and "not a link" not in links and "javascript" not in str(li)


def test_a_crossref_parent_used_through_its_child_is_not_never_cited(tmp_path):
    bib = (
        "\n@inproceedings{child2020,\n  author = {Doe, Jane},\n  title = {A talk},\n  crossref = {proc2020},\n"
        "  doi = {10.1000/c.1}\n}\n\n@proceedings{proc2020,\n  title = {The proceedings},\n  year = {2020}\n}\n"
        + entry("lonely2020", n=9)
    )
    dest = project(tmp_path, bib, "# P\n\nA [@child2020].\n" + KEEP, {"child2020": 3})
    check = run_check(dest, "--all")
    assert check.returncode == 0, check.stdout
    assert '"lonely2020" is never cited' in check.stdout  # the warning still works
    assert '"proc2020" is never cited' not in check.stdout, check.stdout
    assert "The proceedings" in (
        lambda b: (b.returncode, b.stdout + b.stderr, (dest / "site" / "index.html").read_text(encoding="utf-8"))[2]
    )(run_build(dest, dest / "site"))


def test_an_organisation_written_as_a_person_gets_a_located_hint(tmp_path):
    bib = (
        "\n@article{astropy2018,\n  author = {The Astropy Collaboration and Price-Whelan, A. M.},\n"
        "  title = {The Astropy Project},\n  journal = {AJ},\n  year = {2018},\n  doi = {10.3847/1538-3881/aabc4f}\n}\n"
    )
    dest = project(tmp_path, bib, "# P\n\nA [@astropy2018].\n" + KEEP, {"astropy2018": 3})
    check, build = both(dest)
    assert check.returncode == 0 and build.returncode == 0, check.stdout + build.stdout + build.stderr
    line = (dest / "references.bib").read_text().splitlines().index(
        "  author = {The Astropy Collaboration and Price-Whelan, A. M.},"
    ) + 1
    message = (
        f'references.bib:{line}: entry "astropy2018": author "The Astropy Collaboration" looks like an '
        f'organisation, but BibTeX reads it as a person (first names and a surname: "T. A. Collaboration"); '
        f"put it in double braces to keep it whole: author = {{{{The Astropy Collaboration}}}}"
    )
    for out in (check.stdout, build.stdout + build.stderr):
        assert message in [line.strip() for line in out.splitlines()], out
