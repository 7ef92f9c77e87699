"""The share kit in the built site: a copy-link button per H2, the Share page's cards, the handouts,
the printed URL; and its pure logic and error messages. Expectations come from the Markdown sources
and data/share-summaries.yml, never from the built output."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from conftest import DOCS, FIXTURES, ROOT, front_matter, markdown_pages, page_url, run_build
from helpers import CONTENT, rel, written_h2s

from backpain_site.features.sharing.kit import handout_src, qr_svg, share_page_problems
from backpain_site.features.sharing.sections import (
    SUMMARY_MAX_CHARS,
    Section,
    h2_sections,
    match_summaries,
    parse_summaries,
)
from backpain_site.kernel.front_matter import blanked
from backpain_site.kernel.headings import find as find_headings

H2 = re.compile(r"^##\s+(?P<text>.*?)\s*\{\s*#(?P<id>[^\s}]+)\s*\}\s*$", re.M)
SITE_NAME = yaml.safe_load(
    re.search(r"^site_name:.*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(0)
)["site_name"]
SUMMARIES = yaml.safe_load((ROOT / "data" / "share-summaries.yml").read_text(encoding="utf-8"))


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text()).strip()


def test_content_pages_are_every_page_but_references_about_and_the_share_kit():
    names = {rel(md) for md in CONTENT}
    assert {"index.md", "how-common.md", "mechanisms/discs.md", "when-to-get-help.md"} <= names
    assert not names & {"references.md", "about.md", "share/index.md"}


# copy-link buttons ------------------------------------------------------------------------------


@pytest.mark.parametrize("md", CONTENT, ids=rel)
def test_every_h2_on_a_content_page_has_a_copy_button_with_its_full_url(site, md):
    soup = site.page(page_url(md))
    headings = soup.select("article h2")
    written = {i for _, i in written_h2s(md)}
    assert written and written <= {h.get("id") for h in headings}, f"{md}: H2s missing from the page"
    for heading in headings:
        button = heading.find_next_sibling()
        expected = f"{site.url}{page_url(md)}#{heading['id']}"
        assert button is not None and button.name == "button" and "section-link" in button["class"], (
            f"{md}: no copy button right after <h2 id={heading['id']}>"
        )
        assert button["data-url"] == expected
        assert button.has_attr("hidden"), "without JavaScript the button must not show"
        assert button.get("type") == "button"
        # Kept out of the heading: the heading's name and its own permalink are unchanged.
        assert heading.find("button") is None
        assert heading.select_one(f'a.headerlink[href="#{heading["id"]}"]') is not None
        assert button["aria-label"].startswith("Copy link")
        assert text(heading).removesuffix("¶").strip() in button["aria-label"]


@pytest.mark.parametrize("url", ["references/", "about/", "share/"])
def test_pages_that_are_not_content_have_no_copy_buttons(site, url):
    assert site.page(url).select("button.section-link") == []


def test_copy_buttons_stay_out_of_the_search_index(site):
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    # The button follows its heading, so an indexed label would open its section's text.
    sections = [d for d in index["docs"] if "#" in d["location"]]
    assert len(sections) > 40
    assert [d["location"] for d in sections if d["text"].lstrip().startswith("Copy link")] == []


# the Share page ------------------------------------------------------------------------------------


def test_the_share_page_has_a_card_per_section_with_summary_url_and_qr_code(site):
    soup = site.page("share/")
    cards = soup.select("article li.share-card")
    expected = []
    for md in CONTENT:
        for heading, section_id in written_h2s(md):
            expected.append((f"{site.url}{page_url(md)}#{section_id}", heading, SUMMARIES[rel(md)][section_id]))
    assert len(cards) == len(expected)
    found = {}
    for card in cards:
        url = text(card.select_one(".share-card__url"))
        link = card.select_one(".share-card__title a")
        svg = card.select_one("svg.share-qr")
        assert svg is not None and svg.get("role") == "img", url
        assert url in svg["aria-label"], "the QR code's text alternative names its URL"
        assert svg.select("path"), "the QR code is drawn in the SVG, not loaded from elsewhere"
        # The title links to the section itself (relative, so it works on any preview host too).
        assert urljoin(site.url + "share/", link["href"]) == url
        found[url] = (text(link), text(card.select_one(".share-card__summary")))
    assert found == {url: (heading, summary) for url, heading, summary in expected}


def test_the_share_page_lists_the_pages_in_its_own_order_under_its_headings(site):
    soup = site.page("share/")
    groups = soup.select("article ul.share-cards")
    first_urls = [text(g.select_one(".share-card__url")) for g in groups]
    pages = [
        m.group(1)
        for m in re.finditer(
            r"<!--\s*share:sections\s+(\S+)\s*-->", (DOCS / "share" / "index.md").read_text(encoding="utf-8")
        )
    ]
    assert sorted(pages) == sorted(rel(md) for md in CONTENT)
    assert [u.split("#")[0] for u in first_urls] == [site.url + page_url(DOCS / p) for p in pages]
    for group in groups:
        assert group.find_previous_sibling("h2") is not None


def test_qr_codes_are_svg_with_a_white_background_and_a_text_alternative():
    svg = qr_svg("https://example.org/a/#b")
    assert svg.startswith('<svg role="img" aria-label="QR code that opens https://example.org/a/#b"')
    assert 'fill="#fff"' in svg and 'stroke="#000"' in svg and "viewBox" in svg


# handouts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("md", CONTENT, ids=rel)
def test_every_content_page_has_a_one_page_handout(site, md):
    url = handout_src(rel(md))[: -len(".md")] + "/"
    soup = site.page(url)
    meta = front_matter(md)
    page = f"{site.url}{page_url(md)}"
    handout = soup.select_one("article .share-handout")
    assert handout is not None, url
    assert text(handout.select_one("h1")) == meta["title"]
    assert text(handout.select_one(".share-handout__site")) == SITE_NAME
    assert text(handout.select_one(".share-handout__summary")) == meta["description"]
    assert text(handout.select_one(".share-handout__url")) == page
    assert page in handout.select_one("svg.share-qr[role=img]")["aria-label"]
    items = [text(li) for li in handout.select(".share-handout__sections li")]
    assert items == [f"{heading}: {SUMMARIES[rel(md)][i]}" for heading, i in written_h2s(md)]
    # The page it hands out is one link away.
    assert urljoin(site.url + url, handout.select_one(".share-handout__url")["href"]) == page


def written_out(day) -> str:
    """'29 November 2026', written here without the site's code (C locale month names)."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


@pytest.mark.parametrize("md", CONTENT, ids=rel)
def test_every_handout_shows_its_pages_review_dates_as_the_page_does(site, md):
    meta = front_matter(md)
    handout = site.page(handout_src(rel(md))[: -len(".md")] + "/").select_one("article .share-handout")
    review = handout.select_one(".share-handout__review")
    assert review is not None, f"{rel(md)}: the handout has no review dates"
    expected = (
        f"Page last reviewed: {written_out(meta['last_reviewed'])} · "
        f"Next review due: {written_out(meta['next_review'])}"
    )
    # "Last updated", after a change since the review, is tested in tests/features/trust/test_last_updated.py.
    assert re.sub(r" · Last updated: [^·]+?(?= ·)", "", text(review)) == expected
    assert [t["datetime"] for t in review.select("time")][:: len(review.select("time")) - 1] == [
        meta["last_reviewed"].isoformat(),
        meta["next_review"].isoformat(),
    ]
    # The same words as the page's own review stamp.
    assert text(site.page(page_url(md)).select_one("article .page-stamp")) == text(review)


@pytest.mark.parametrize("md", CONTENT, ids=rel)
def test_a_handout_sends_readers_to_its_page_not_to_itself(site, md):
    handout_url = handout_src(rel(md))[: -len(".md")] + "/"
    article = site.page(handout_url).select_one("article")
    page = f"{site.url}{page_url(md)}"
    assert text(article.select_one(".print-url")) == f"Read this page online: {page}"
    assert f"{site.url}{handout_url}" not in text(article), "the handout gives its own address"
    assert page in text(article.select_one(".share-handout__link"))


def test_handouts_are_not_in_the_nav_or_the_search_index(site):
    nav = " ".join(a.get("href", "") for a in site.page("").select("nav.md-nav--primary a"))
    assert "share/how-common" not in nav and "share/" in nav
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert [
        d["location"]
        for d in index["docs"]
        if d["location"].startswith("share/") and not d["location"].startswith("share/#")
    ] == ["share/"]


def test_handout_paths():
    assert handout_src("index.md") == "share/home.md"
    assert handout_src("how-common.md") == "share/how-common.md"
    assert handout_src("mechanisms/index.md") == "share/mechanisms.md"
    assert handout_src("mechanisms/discs.md") == "share/mechanisms/discs.md"


# printing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("md", markdown_pages(), ids=rel)
def test_every_page_carries_its_address_for_print(site, md):
    printed = site.page(page_url(md)).select_one("article .print-url")
    assert printed is not None and text(printed).endswith(f"{site.url}{page_url(md)}")


# summaries: the data file and its checks -----------------------------------------------------------


def test_every_summary_is_one_short_line_without_citations():
    for page, sections in SUMMARIES.items():
        for section_id, summary in sections.items():
            assert isinstance(summary, str) and "\n" not in summary.strip(), f"{page}#{section_id}"
            assert len(summary) <= SUMMARY_MAX_CHARS and "[@" not in summary, f"{page}#{section_id}"


def test_h2_sections_are_the_indexed_h2s_outside_code_and_need_an_explicit_id():
    markdown = "---\ntitle: T\n---\n\n## One { #one }\n\n```\n## Code { #code }\n```\n\n## Two **bold** [@k]\n### Sub { #sub }\n"
    sections, problems = h2_sections("a.md", find_headings(blanked(markdown)))
    assert sections == [Section("a.md", "one", "One", 5)]
    assert [(p.file, p.line) for p in problems] == [("docs/a.md", 11)] and "no explicit id" in problems[0].message


def test_a_section_without_a_summary_and_a_stale_summary_are_located():
    summaries, problems = parse_summaries("a.md:\n  one: Covers one.\n  gone: Covers a removed part.\n")
    assert problems == []
    found, problems = match_summaries(
        [Section("a.md", "one", "One", 5), Section("a.md", "two", "Two", 9)], summaries, ["a.md"]
    )
    assert found == {("a.md", "one"): "Covers one."}
    assert str(problems[0]).startswith('docs/a.md:9: section "Two" (#two) has no one-line summary')
    assert str(problems[1]).startswith("data/share-summaries.yml:3: docs/a.md has no section with id #gone")


@pytest.mark.parametrize(
    "yaml_text, line, problem",
    [
        ("a.md:\n  one: [not, text]\n", 2, "one line of text"),
        ("a.md:\n  one: " + "x" * (SUMMARY_MAX_CHARS + 1) + "\n", 2, "keep it to"),
        ("a.md:\n  one: Covers one [@key].\n", 2, "no citations"),
        ("a.md:\n  one: ''\n", 2, "one line of text"),
        ("a.md:\n  one: Fine.\n  one: Again.\n", 3, "two summaries"),
        ("a.md: [one]\n", 1, "one `section-id: summary` line"),
        ("a.md:\n  one: Fine.\n bad indent\n", 3, "not valid YAML"),
    ],
)
def test_bad_summary_files_are_located(yaml_text, line, problem):
    _, problems = parse_summaries(yaml_text)
    assert len(problems) == 1 and problems[0].line == line and problem in problems[0].message, problems
    assert problems[0].file == "data/share-summaries.yml"


def test_share_page_shortcodes_are_checked():
    markdown = (
        "## A { #a }\n<!-- share:sections a.md -->\n<!-- share:section b.md -->\n"
        "<!-- share:sections a.md -->\n<!-- share:sections about.md -->\n"
    )
    listed, problems = share_page_problems(markdown, ["a.md", "b.md"])
    assert listed == ["a.md"]
    assert list(map(str, problems)) == [
        'docs/share/index.md:3: unknown shortcode "share:section" (the share page knows only '
        "<!-- share:sections page.md -->)",
        'docs/share/index.md:4: "a.md" is listed twice',
        'docs/share/index.md:5: "about.md" is not a content page under docs/',
        "docs/share/index.md:1: content page docs/b.md is missing from the share page: add a heading "
        "for it and <!-- share:sections b.md --> under it",
    ]


# a real build of the fixture site ------------------------------------------------------------------


def share_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURES / "share", dest)
    (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
    (dest / "overrides").symlink_to(ROOT / "overrides")
    return dest


def test_the_fixture_site_builds_its_share_kit(tmp_path):
    project = share_fixture(tmp_path / "project")
    result = run_build(project, tmp_path / "out", site_url="https://example.org/kit/")
    assert result.returncode == 0, result.stdout + result.stderr
    share = (tmp_path / "out" / "share" / "index.html").read_text(encoding="utf-8")
    assert share.count('class="share-card"') == 3
    assert "https://example.org/kit/guide/#only-part" in share
    assert (tmp_path / "out" / "share" / "home" / "index.html").is_file()
    assert (tmp_path / "out" / "share" / "guide" / "index.html").is_file()
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'data-url="https://example.org/kit/#second-part"' in home
    assert "section-link" not in (tmp_path / "out" / "about" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "break_it, message",
    [
        (
            lambda p: (p / "data" / "share-summaries.yml").write_text(
                "index.md:\n  first-part: What the first part covers.\nguide/index.md:\n  only-part: Guide.\n  old-part: Gone.\n"
            ),
            [
                'docs/index.md:16: section "Second part" (#second-part) has no one-line summary',
                "data/share-summaries.yml:5: docs/guide/index.md has no section with id #old-part",
            ],
        ),
        (
            lambda p: (p / "docs" / "share" / "index.md").write_text(
                "---\ntitle: Share\n---\n\n<!-- share:sections index.md -->\n"
            ),
            ["docs/share/index.md:1: content page docs/guide/index.md is missing from the share page"],
        ),
        (
            lambda p: (p / "docs" / "guide" / "index.md").write_text(
                "---\ntitle: A guide\n---\n\n## Only part { #only-part }\n"
            ),
            ['docs/guide/index.md:1: front matter field "description": needed for the page\'s printable handout'],
        ),
        (
            lambda p: (p / "data" / "share-summaries.yml").unlink(),
            ["data/share-summaries.yml: cannot read the share summaries"],
        ),
    ],
)
def test_share_kit_problems_stop_the_build_with_file_line_and_problem(tmp_path, break_it, message):
    project = share_fixture(tmp_path / "project")
    break_it(project)
    result = run_build(project, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    for line in message:
        assert line in log, log
    assert "Traceback" not in log
