"""Study data (data/studies.yml): its checks, and what the site builds from it.

Every expectation comes from the data file (parsed by backpain_site/features/studies/data.py) or the Markdown sources, never
from a copy of the built output.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import DOCS, FIXTURES, ROOT, markdown_pages, page_url, run_build
from helpers import BIB_KEYS, DATA, cited_key, page_keys

from backpain_site.features.citations.markdown import find_citations
from backpain_site.features.studies.charts import description, svg
from backpain_site.features.studies.data import DESIGNS, parse
from backpain_site.features.studies.project import DATA_FILE
from backpain_site.features.studies.render import MINUS, TRIAL_LABELS, badge_parts, number_text
from backpain_site.kernel.front_matter import front_matter_lines
from backpain_site.kernel.shortcodes import calls as shortcode_calls

STUDY_FIXTURES = FIXTURES / "studies"
STUDY_CASES = STUDY_FIXTURES / "cases"
INCLUDES = ROOT / "includes"


def all_cited_keys() -> set[str]:
    files = markdown_pages() + sorted(INCLUDES.rglob("*.md"))
    return {c.key for f in files for c in find_citations(f.read_text(encoding="utf-8"), f.name)[0]}


def visible_text(tag) -> str:
    """Text a sighted reader sees (screen-reader-only words left out), whitespace squashed."""
    tag = BeautifulSoup(str(tag), "html.parser")
    for hidden in tag.select(".evidence-badge__sr"):
        hidden.decompose()
    return " ".join(tag.get_text(" ").split())


def page_text(site, url: str) -> BeautifulSoup:
    """A built page with glossary definitions (<abbr>) taken out, so get_text(" ") doesn't put a
    space around every defined word ("( T2 on MRI )"); the glossary's own tests check those."""
    soup = BeautifulSoup(str(site.page(url)), "html.parser")  # a copy: site.page's soup is shared by every test
    for abbr in soup.select("abbr"):
        abbr.unwrap()
    return BeautifulSoup(str(soup), "html.parser")  # parsed again: the unwrapped words join their neighbours


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the data file --------------------------------------------------------------------------------


def test_every_cited_work_has_an_entry_and_every_entry_is_cited():
    cited = all_cited_keys()
    assert cited, "no citations found: the test would pass vacuously"
    assert sorted(cited - set(DATA.studies)) == []
    assert sorted(set(DATA.studies) - cited) == []


def test_every_design_is_a_known_one_and_every_key_is_in_references_bib():
    for study in DATA.studies.values():
        assert study.design in DESIGNS
        assert study.key in BIB_KEYS


def test_numbers_keep_the_digits_as_typed():
    pain = DATA.studies["neason2025running"].number("average-pain")
    assert (pain.value, pain.ci) == ("-15.30", ("-25.33", "-5.27"))
    assert number_text(pain) == f"{MINUS}15.30 points (95% CI {MINUS}25.33 to {MINUS}5.27)"


def test_a_value_outside_its_interval_is_refused():
    text = (ROOT / DATA_FILE).read_text(encoding="utf-8").replace("value: -15.30", "value: -35.30", 1)
    _, problems = parse(text, "data/studies.yml", BIB_KEYS)
    assert [p.message for p in problems if "outside its interval" in p.message]


def test_null_is_allowed_only_where_the_schema_says_not_reported():
    text = (STUDY_FIXTURES / "base" / "data" / "studies.yml").read_text(encoding="utf-8")
    keys = {"muller2020asteroid", "smith2019review"}
    assert parse(text, "data/studies.yml", keys)[1] == []
    _, problems = parse(
        text.replace('finding: "Few runners had back pain."', "finding: null"), "data/studies.yml", keys
    )
    assert [str(p) for p in problems] == [
        'data/studies.yml:22: study "smith2019review", field "finding": must not be empty'
    ]


# --- data-file mistakes stop the build, naming file, line, entry and field -----------------------


def make_study_project(dest: Path, case: str | None = None) -> Path:
    shutil.copytree(STUDY_FIXTURES / "base", dest)
    (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
    if case:
        if (STUDY_CASES / case / "docs").exists():
            shutil.rmtree(dest / "docs")
        shutil.copytree(STUDY_CASES / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return dest


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The study fixture site, built once for the tests that read it."""
    tmp = tmp_path_factory.mktemp("studies")
    result = run_build(make_study_project(tmp / "project"), tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


def test_the_fixture_site_builds_with_its_badges_and_chart(fixture_site):
    page = BeautifulSoup((fixture_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    badge = page.select_one('li[id="fn:muller2020asteroid"] .evidence-badge')
    assert visible_text(badge) == "Randomised trial · 40 adults"
    assert page.select_one("svg.evidence-chart__svg title").get_text() == "Difference in pain"


@pytest.mark.parametrize("case", sorted(p.name for p in STUDY_CASES.iterdir()))
def test_a_data_mistake_stops_the_build_and_says_where(case, tmp_path):
    project = make_study_project(tmp_path / "project", case)
    result = run_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for line in (STUDY_CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in output, f"expected line missing:\n{line}\n--- build output:\n{output}"
    assert "Traceback" not in output


def test_front_matter_lines_match_what_mkdocs_strips():
    assert front_matter_lines("---\ntitle: X\n---\n\nText\n") == 4
    assert front_matter_lines("Text\n") == 0
    assert [c.line for _, _, c in shortcode_calls("a\n\n<!-- chart x -->\n", {"chart"})[0]] == [3]


# --- evidence badges ---------------------------------------------------------------------------------


def expected_badge(key: str) -> str:
    """Design label, then "N unit" and how it was published when the data file gives them."""
    study = DATA.studies[key]
    size = [f"{study.size.count:,} {study.size.unit}"] if study.size else []
    return " · ".join([DESIGNS[study.design], *size, *filter(None, [study.published_as])])


def test_badges_name_design_and_size_as_the_data_file_says():
    assert badge_parts(DATA.studies["neason2025running"]) == ["Randomised trial", "40 adults"]
    assert badge_parts(DATA.studies["maselli2020prevalence"]) == ["Systematic review", "19 studies"]
    assert badge_parts(DATA.studies["nhsndbackpain"]) == ["Guideline", "web page"]


@pytest.mark.parametrize("md", markdown_pages(), ids=lambda p: p.name)
def test_every_reference_on_every_page_shows_its_badge(site, md):
    page = page_text(site, page_url(md))
    items = page.select(".footnote li[id^='fn:']") + page.select("ul.bibliography > li[id^='ref-']")
    for item in items:
        key = item["id"].split(":", 1)[1] if item["id"].startswith("fn:") else item["id"][len("ref-") :]
        badges = item.select(".evidence-badge")
        assert len(badges) == 1, f"{md.name}: {key} has {len(badges)} badges"
        assert visible_text(badges[0]) == expected_badge(key), f"{md.name}: {key}"
        assert squash(badges[0].get_text(" ")).startswith("Evidence:"), "no words for screen readers"
        dots = badges[0].select('[aria-hidden="true"]')
        assert len(dots) == expected_badge(key).count("·"), "a dot is read aloud"
    keys = page_keys(md) + (sorted(all_cited_keys()) if md.name == "references.md" else [])
    shown = {i["id"].split(":", 1)[-1].removeprefix("ref-") for i in items}
    assert set(keys) <= shown, f"{md.name}: references without a badge"


# --- studies tables and the trial card ----------------------------------------------------------------

TABLE_PAGES = [md for md in markdown_pages() if "<!-- studies-table -->" in md.read_text(encoding="utf-8")]


def test_every_evidence_page_has_a_studies_table():
    from helpers import EVIDENCE_PAGES

    assert sorted(md.relative_to(DOCS).as_posix() for md in TABLE_PAGES) == sorted(EVIDENCE_PAGES)


@pytest.mark.parametrize("md", TABLE_PAGES, ids=lambda p: p.name)
def test_studies_table_lists_the_page_s_studies_from_the_data_file(site, md):
    table = page_text(site, page_url(md)).select_one(".studies-table table")
    rows = table.select("tbody tr")
    assert [cited_key(row.select("td")[0]) for row in rows] == page_keys(md)
    for row in rows:
        study = DATA.studies[cited_key(row.select("td")[0])]
        cells = [squash(td.get_text(" ")) for td in row.select("td")]
        assert cells[1].startswith(squash(expected_badge(study.key)))
        assert cells[2] == (study.participants or "Not reported")
        assert cells[3] == (study.duration or "Not reported")
        assert cells[4] == study.finding
        # Each limit reads as a sentence (no ".;" between them).
        sentences = [limit if limit.endswith((".", "!", "?")) else limit + "." for limit in study.limits]
        assert cells[5] == (" ".join(sentences) or "None noted in our sources")
        assert ".;" not in cells[5]


def test_clinician_numbers_under_each_table_come_from_the_data_file(site):
    md = DOCS / "run-walk-trial.md"
    block = page_text(site, page_url(md)).select_one(".studies-table").find_next_sibling("details")
    assert squash(block.select_one("summary").get_text()) == "For clinicians"
    rows = block.select("tbody tr")
    expected = [(k, n) for k in page_keys(md) for n in DATA.studies[k].numbers]
    assert len(rows) == len(expected)
    for row, (key, number) in zip(rows, expected):
        cells = row.select("td")
        assert cited_key(cells[0]) == key
        assert squash(cells[1].get_text()) == number.label
        assert squash(cells[2].get_text()) == number_text(number)


def test_trial_card_shows_every_item_and_effect_from_the_data_file(site):
    trial = DATA.trials["asteroid"]
    card = page_text(site, "run-walk-trial/").select_one("#trial-card-asteroid")
    facts, effects = card.select("table")
    rows = {squash(r.select("td")[0].get_text()): r.select("td")[1] for r in facts.select("tbody tr")}
    assert list(rows) == list(TRIAL_LABELS.values())
    for name, label in TRIAL_LABELS.items():
        item = trial.items[name]
        cell = rows[label]
        assert squash(cell.get_text(" ")).startswith(item.text)
        assert [a["href"].split("#fn:")[1] for a in cell.select("a.footnote-ref")] == item.cite
    for row, effect in zip(effects.select("tbody tr"), trial.effects, strict=True):
        text = squash(row.get_text(" "))
        n = effect.number
        for figure in (n.value, *n.ci, n.p):
            assert figure.lstrip("-") in text
        assert text.count(MINUS) == sum(v.startswith("-") for v in (n.value, *n.ci))


# --- charts -------------------------------------------------------------------------------------------

CHART_PAGES = {
    md: [c.arg for _, _, c in shortcode_calls(md.read_text(encoding="utf-8"), {"chart"})[0] if c.name == "chart"]
    for md in markdown_pages()
}
CHART_PAGES = {md: ids for md, ids in CHART_PAGES.items() if ids}


def test_both_charts_are_on_their_pages():
    assert {md.name: ids for md, ids in CHART_PAGES.items()} == {
        "how-common.md": ["prevalence"],
        "run-walk-trial.md": ["asteroid-effects"],
    }


@pytest.mark.parametrize("md", list(CHART_PAGES), ids=lambda p: p.name)
def test_chart_svg_is_labelled_and_its_table_matches_the_data(site, md):
    page = page_text(site, page_url(md))
    for chart_id in CHART_PAGES[md]:
        chart = DATA.charts[chart_id]
        figure = page.select_one(f"figure#chart-{chart_id}")
        svg_tag = figure.select_one("svg")
        assert svg_tag["role"] == "img"
        title_id, desc_id = svg_tag["aria-labelledby"].split()
        assert svg_tag.select_one(f"title#{title_id}").get_text() == chart.title
        desc = svg_tag.select_one(f"desc#{desc_id}").get_text()
        assert desc == description(chart)
        assert re.search(r"viewbox", " ".join(svg_tag.attrs), re.I) and "width" not in svg_tag.attrs
        # Colours follow the theme: nothing in the SVG is hard-coded black or white.
        assert not re.search(r"#000|#fff|black|white", str(svg_tag), re.I)
        caption = figure.select_one("figcaption")
        cited = [a["href"].split("#fn:")[1] for a in caption.select("a.footnote-ref")]
        assert {row.key for row in chart.rows} <= set(cited)
        assert chart.caption in squash(caption.get_text(" "))
        table = figure.find_next_sibling("details").select_one("table")
        rows = table.select("tbody tr")
        assert len(rows) == len(chart.rows)
        for row, data_row in zip(rows, chart.rows):
            text = squash(row.get_text(" "))
            assert text.startswith(data_row.label)
            n = data_row.number
            for figure_text in (n.range or ()) + (n.ci or ()) + ((n.value,) if n.value else ()):
                assert figure_text.lstrip("-") in text
            assert cited_key(row) == data_row.key


def test_asteroid_chart_says_why_no_mcid_line_is_drawn(site):
    chart = DATA.charts["asteroid-effects"]
    assert chart.mcid is None, "the evidence notes give no MCID value"
    figure = page_text(site, "run-walk-trial/").select_one("figure#chart-asteroid-effects")
    assert not figure.select(".evidence-chart__mcid")
    caption = figure.select_one("figcaption")
    assert chart.mcid_note.rstrip(".") in squash(caption.get_text(" "))
    assert "neason2023twelveweek" in [a["href"].split("#fn:")[1] for a in caption.select("a.footnote-ref")]


def test_an_mcid_value_draws_a_dashed_line():
    chart = DATA.charts["asteroid-effects"]
    assert "evidence-chart__mcid" not in svg(chart)
    assert 'class="evidence-chart__mcid"' in svg(replace(chart, mcid="-10"))


def test_changing_a_number_changes_the_chart():
    chart = DATA.charts["asteroid-effects"]
    row = chart.rows[0]
    moved = replace(chart, rows=[replace(row, number=replace(row.number, value="-10.30"))] + chart.rows[1:])
    assert svg(moved) != svg(chart)
    assert f"{MINUS}10.30" in svg(moved) and f"{MINUS}15.30" not in svg(moved)


def test_changing_a_number_in_a_copy_of_the_data_file_changes_the_built_chart(fixture_site, tmp_path):
    """The study fixture site (same code, same data schema, a chart of the same trial number) with
    one number changed in its data file, against the fixture built as it is."""
    project = make_study_project(tmp_path / "project")
    data_file = project / DATA_FILE
    text = data_file.read_text(encoding="utf-8")
    assert text.count("value: -15.30") == 1
    data_file.write_text(text.replace("value: -15.30", "value: -10.30"), encoding="utf-8")
    result = run_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    new, old = (
        BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(
            "figure#chart-effects svg"
        )
        for site in (tmp_path / "site", fixture_site)
    )
    assert str(new) != str(old)
    old_dot, new_dot = (float(s.select(".evidence-chart__dot")[0]["cx"]) for s in (old, new))
    assert new_dot > old_dot, "a smaller difference sits nearer zero, to the right"
    assert f"{MINUS}10.30" in new.get_text() and f"{MINUS}15.30" in old.get_text()
