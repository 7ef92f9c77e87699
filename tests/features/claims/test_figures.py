"""Every figure a reader sees is tied to its record (issue 18, item 1).

A figure is printed from data/studies.yml by a shortcode (<!-- figure key/id -->, <!-- result key/id -->,
<!-- figure-table key -->, one rounding rule), or it is checked against a recorded value of a work its
sentence cites (studies.yml numbers, a claims-ledger entry, references.bib). The build stops on any
other figure, naming the page line and the record it should match. The rules are in
backpain_site/features/claims/figures.py; the shortcodes in backpain_site/features/studies/.
"""

from __future__ import annotations

import html
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BIB, DOCS, FIXTURES, ROOT, page_url, run_build

from backpain_site.features.citations.project import load_bib
from backpain_site.features.claims.__main__ import figures as count_figures
from backpain_site.features.claims.figures import Record, check_html
from backpain_site.features.claims.prose import normalise, sentences
from backpain_site.features.studies.data import parse
from backpain_site.features.studies.project import DATA_FILE
from backpain_site.features.studies.render import MINUS, estimate_text, rounded, rounded_text

STUDY_FIXTURES = FIXTURES / "studies"
DATA = parse(
    (ROOT / DATA_FILE).read_text(encoding="utf-8"), "data/studies.yml", {e.key for e in load_bib(BIB, ROOT).entries}
)[0]


def html_of(site, page: str) -> BeautifulSoup:
    return site.page(page_url(DOCS / page))


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the one rounding rule ----------------------------------------------------------------------


def test_the_one_rounding_rule():
    assert rounded("-15.30", "points") == "15"  # a value with a unit: a whole number
    assert rounded("-5.20", "points") == "5"
    assert rounded("22.5", "%") == "23"  # halves round up
    assert rounded("1.24") == "1.2"  # a ratio: one decimal place
    assert rounded("0.52") == "0.5"  # below 1: one decimal place
    assert rounded("9") == "9"  # a whole number stays as typed
    assert rounded("0.5", "points") == "0.5"


# --- the real site: the trial's results and the β table come from their one record ---------------


def test_the_trial_results_in_prose_are_printed_from_studies_yml(site):
    page = html_of(site, "run-walk-trial.md")
    spans = {
        s["data-figure"]: squash(s.get_text()) for s in page.select("article p .study-figure, article li .study-figure")
    }
    trial = DATA.studies["neason2025running"]
    for number_id in ("average-pain", "current-pain", "disability", "adherence", "adverse-events"):
        assert spans.get(f"neason2025running/{number_id}") == rounded_text(trial.number(number_id)), number_id
    assert spans["neason2025running/average-pain"] == "15 points"


@pytest.mark.parametrize(
    "page, key",
    [
        ("run-walk-trial.md", "neason2025running"),
        ("run-walk-trial.md", "neason2025fears"),
        ("mechanisms/beliefs.md", "neason2025fears"),
    ],
)
def test_the_clinician_results_tables_are_printed_from_studies_yml(site, page, key):
    table = html_of(site, page).select_one(f'details .figure-table[data-figures="{key}"] table')
    assert table is not None, f"no printed results table for {key} inside a For clinicians box on {page}"
    rows = [[squash(td.get_text()) for td in tr.select("td")] for tr in table.select("tbody tr")]
    wanted = [n for n in DATA.studies[key].numbers if n.value and (n.ci or n.p)]
    assert [row[1] for row in rows] == [estimate_text(n) for n in wanted]
    assert [row[2] for row in rows] == [n.p for n in wanted]


def test_no_page_types_a_copy_of_the_trial_results_or_the_beta_table():
    # The copies these tables replaced: "−15.30 (−25.33 to −5.27)" and "0.52 (0.20 to 0.84)" typed by hand.
    for key in ("neason2025running", "neason2025fears"):
        for number in DATA.studies[key].numbers:
            if not number.ci:
                continue
            typed = re.compile(
                re.escape(number.value.lstrip("-")) + r"\s*\(\s*[-−]?" + re.escape(number.ci[0].lstrip("-"))
            )
            for md in DOCS.rglob("*.md"):
                assert not typed.search(md.read_text(encoding="utf-8")), (
                    f"docs/{md.relative_to(DOCS)} types {key}/{number.id} by hand; print it with <!-- figure-table {key} -->"
                )


def test_every_figure_on_the_built_site_is_tied_to_a_record(site, capsys):
    status = count_figures(ROOT, site.root)
    out = capsys.readouterr().out
    assert status == 0, out
    total = re.search(r"^all pages\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", out, re.M)
    assert total and int(total[1]) > 900 and int(total[2]) > 100 and total[5] == "0", out


# --- the rule on a small page ---------------------------------------------------------------------

RECORDS = {
    "t": [
        Record("t", "t/pain", "data/studies.yml:9", "−15.30 points", frozenset({Decimal("15.3"), Decimal("15")})),
        Record("t", "t/unsafe", "data/studies.yml:20", "25%", frozenset({Decimal("25")})),
    ]
}
FN = '<sup><a class="footnote-ref" href="#fn:t">1</a></sup>'


def figures_of(body: str):
    return check_html(f"<article>{body}</article>", [], [re.compile(r"\b999\b")], RECORDS)


def test_a_figure_that_differs_from_its_record_is_a_problem_naming_the_record():
    found = figures_of(f"<p>Pain was about 17 points lower {FN}.</p>")
    [problem] = found.problems()
    assert problem.figure == "17"
    assert "nearest record is t/pain (data/studies.yml:9): −15.30 points" in problem.problem


def test_figures_that_match_a_record_pass_and_are_counted():
    found = figures_of(
        f"<p>Pain was about 15 points lower {FN}. About 1 in 4 said so {FN}. Call 999.</p>"
        f'<p>It fell by <span class="study-figure" data-figure="t/pain">15 points</span> {FN}.</p>'
    )
    assert not found.problems()
    assert found.counts() == {"record": 2, "printed": 1}


def test_a_printed_figure_must_sit_in_a_sentence_citing_its_study():
    found = figures_of('<p>It fell by <span class="study-figure" data-figure="t/pain">15 points</span>.</p>')
    assert [p.problem for p in found.problems()] == [
        '"15 points" is printed from t/pain, but its sentence does not cite t: cite it in the sentence, '
        "as the figure's source"
    ]


def test_table_cells_are_checked_against_what_their_row_and_lead_in_cite():
    found = figures_of(f"<p>Results {FN}:</p><table><tr><td>Pain</td><td>15.3</td><td>16.3</td></tr></table>")
    assert [p.figure for p in found.problems()] == ["16.3"]


# --- the fixture site: one record, every page that prints it, and a build that stops ----------------


def make_project(dest: Path, case: str | None = None) -> Path:
    shutil.copytree(STUDY_FIXTURES / "base", dest)
    (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
    if case:
        shutil.rmtree(dest / "docs")
        shutil.copytree(
            STUDY_FIXTURES / "cases" / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt")
        )
    return dest


def printed(site: Path, page: str) -> list[str]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    return [squash(s.get_text()) for s in soup.select('.study-figure[data-figure="muller2020asteroid/pain"]')]


def test_changing_a_figure_in_studies_yml_changes_every_page_that_prints_it(tmp_path):
    project = make_project(tmp_path / "project")
    before = run_build(project, tmp_path / "before")
    assert before.returncode == 0, before.stdout + before.stderr
    assert printed(tmp_path / "before", "index.html") == [
        "15 points",
        f"{MINUS}15.30 points (95% CI {MINUS}25.33 to {MINUS}5.27)",
    ]
    assert printed(tmp_path / "before", "results/index.html") == [
        "15 points",
        f"{MINUS}15.30 points ({MINUS}25.33 to {MINUS}5.27)",
    ]

    data = project / "data" / "studies.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("value: -15.30", "value: -16.40"), encoding="utf-8")
    after = run_build(project, tmp_path / "after")
    assert after.returncode == 0, after.stdout + after.stderr
    assert printed(tmp_path / "after", "index.html") == [
        "16 points",
        f"{MINUS}16.40 points (95% CI {MINUS}25.33 to {MINUS}5.27)",
    ]
    assert printed(tmp_path / "after", "results/index.html") == [
        "16 points",
        f"{MINUS}16.40 points ({MINUS}25.33 to {MINUS}5.27)",
    ]
    chart = (tmp_path / "after" / "index.html").read_text(encoding="utf-8")
    assert f"{MINUS}16.40" in chart and f"{MINUS}15.30" not in chart


def test_prose_that_disagrees_with_the_record_stops_the_build(tmp_path):
    project = make_project(tmp_path / "project")
    page = project / "docs" / "results.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nThat is about 16 points less pain [@muller2020asteroid].\n",
        encoding="utf-8",
    )
    result = run_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        'docs/results.md:11: "16" in "That is about 16 points less pain." matches no record of the work(s) '
        "cited there (muller2020asteroid); the nearest record is muller2020asteroid/pain "
        "(data/studies.yml:9)"
    ) in output, output
    assert "Traceback" not in output


def test_how_we_make_this_site_says_what_the_figures_check_does(site):
    # "typed once" was said of every figure; it holds for the figures printed from data/studies.yml
    # (test_changing_a_figure_...), and every other figure is checked at build time (test_prose_that_...).
    text = squash(html_of(site, "how-we-make.md").select_one("article").get_text(" "))
    assert "So a figure is typed once" not in text
    assert "A figure printed from that file is typed once, and every page that shows it shows the same value." in text
    assert (
        "Any other figure on a page must match a value we recorded for the study its sentence cites. "
        "Or it must be in our list of checked claims, with the words from the source it rests on. "
        "If neither holds, the site will not build."
    ) in text
    assert "We are also adding a list of checked figures" not in text  # the check exists: no promise of it


def test_the_feed_says_nothing_the_checked_changes_page_does_not(site):
    # The feed is built from data/changes.yml, like the Changes page; the page's figures are checked at
    # build time, so each feed entry's words must be on that page for the feed to be covered too.
    feed = (site.root / "feed.xml").read_text(encoding="utf-8")
    entries = [normalise(html.unescape(t)) for t in re.findall(r"<content[^>]*>(.*?)</content>", feed, re.S)]
    page = " ".join(normalise(s.text) for s in sentences(str(html_of(site, "changes.md"))))
    assert len(entries) > 10
    assert [e for e in entries if e.rstrip(".") not in page] == []
