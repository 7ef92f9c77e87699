"""Glossary: every glossary word on every built page carries its definition, and the Glossary page
lists every term, all from includes/glossary.md."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup, NavigableString

from conftest import DOCS, ROOT, markdown_pages, page_url
from backpain_site.features import glossary
from backpain_site.kernel.roles import GLOSSARY_PAGE

TERMS, PROBLEMS = glossary.parse_glossary((ROOT / glossary.SOURCE).read_text(encoding="utf-8"))
DEFINITIONS = glossary.abbreviations(TERMS)

# Text where a definition cannot or need not be attached: code, the term being defined (<dfn>),
# words already inside an <abbr>, and the page title, which the template writes from front matter
# (like the nav label; the page's own text defines its words).
EXEMPT = {"abbr", "dfn", "code", "pre", "kbd", "samp", "script", "style", "svg", "h1", "title"}
# The "Cite this page" block repeats that title inside a citation of the page; the print-only
# address line is a URL.
EXEMPT_CLASSES = {"cite-page", "print-url"}


def term_pattern(terms) -> re.Pattern:
    """Any form of any term, plural or not; small-letter forms in any case ("Randomised", "RANDOMISED")."""
    forms = sorted({form for term in terms for form in term.forms}, key=len, reverse=True)
    parts = [f"(?i:{re.escape(f)})" if f[0].islower() else re.escape(f) for f in forms]
    return re.compile(r"\b(?:" + "|".join(parts) + r")(?:s|es)?\b")


def undefined_uses(article, terms) -> list[str]:
    """Each place in the article where a glossary word is used without its definition attached."""
    pattern = term_pattern(terms)
    found = []
    for text in article.find_all(string=True):
        if not isinstance(text, NavigableString) or any(
            p.name in EXEMPT or EXEMPT_CLASSES & set(p.get("class") or []) for p in text.parents
        ):
            continue
        for match in pattern.finditer(text):
            context = " ".join(text[max(0, match.start() - 40):match.end() + 40].split())
            found.append(f"{match.group(0)!r} in \u201c{context}\u201d")
    return found


def test_glossary_source_is_valid():
    assert PROBLEMS == []
    assert len(TERMS) >= 20


# The Share page (and the handouts it links to) is made to be printed or read by clinicians: a
# definition shown on hover or tap does nothing on paper, and each card links to the page that
# explains its words.
READ_PAGES = [md for md in markdown_pages() if not md.relative_to(DOCS).as_posix().startswith("share/")]


@pytest.mark.parametrize("md", READ_PAGES, ids=lambda md: md.relative_to(DOCS).as_posix())
def test_every_glossary_word_carries_its_definition(site, md):
    article = site.page(page_url(md)).select_one("article")
    assert undefined_uses(article, TERMS) == [], f"docs/{md.relative_to(DOCS)}: glossary words with no definition"
    for abbr in article.find_all("abbr"):
        text = abbr.get_text()
        assert abbr.get("title") == DEFINITIONS.get(text), f"{md.name}: <abbr>{text}</abbr> has the wrong title"


def test_undefined_word_check_can_fail():
    html = ('<article><h1>Discs</h1><p>Two <abbr title="x">discs</abbr> and a proteoglycan.</p>'
            '<p>It was Randomised; an MRI.</p><p>A nice <code>MRI</code> day.</p></article>')
    article = BeautifulSoup(html, "html.parser").article
    assert undefined_uses(article, TERMS) == [
        "'proteoglycan' in \u201cand a proteoglycan.\u201d",
        "'Randomised' in \u201cIt was Randomised; an MRI.\u201d",
        "'MRI' in \u201cIt was Randomised; an MRI.\u201d",
    ]


def test_definitions_stay_out_of_ids_links_code_and_navigation(site):
    for md in markdown_pages():
        soup = site.page(page_url(md))
        name = md.relative_to(DOCS).as_posix()
        assert "&lt;abbr" not in str(soup) and "<abbr" not in soup.title.decode_contents(), name
        for el in soup.find_all(attrs={"id": True}):
            assert "abbr" not in el["id"] and "<" not in el["id"], f"{name}: id {el['id']!r}"
        for el in soup.find_all(attrs={"href": True}):
            assert "<" not in el["href"] and "abbr" not in el["href"], f"{name}: href {el['href']!r}"
        for el in soup.select("pre abbr, code abbr, kbd abbr, nav abbr, .md-nav abbr, a.headerlink abbr, .md-header abbr"):
            raise AssertionError(f"{name}: <abbr> inside {el.parent.name}: {el.parent}")
        # A heading keeps its explicit id whatever glossary words it holds.
        for heading in soup.select("article h2, article h3"):
            link = heading.select_one("a.headerlink")
            assert link is not None and link["href"] == f"#{heading['id']}", f"{name}: {heading}"


def test_glossary_page_lists_every_term_with_its_definition(site):
    soup = site.page(page_url(DOCS / GLOSSARY_PAGE))
    entries = soup.select("article li:has(> dfn)")
    names = [li.dfn.get_text() for li in entries]
    expected = sorted(TERMS, key=lambda t: t.term.lower())
    assert names == [t.term[0].upper() + t.term[1:] for t in expected]
    for li, term in zip(entries, expected):
        assert li.dfn["id"] == term.slug
        assert term.title in " ".join(li.get_text().split())
        cited = re.findall(r"@([\w-]+)", term.definition)
        refs = [a["href"].removeprefix("#fn:") for a in li.select("sup a.footnote-ref")]
        assert refs == cited, f"{term.term}: citations {refs} on the page, {cited} in the glossary"


def test_glossary_page_is_in_the_nav_beside_references(site):
    labels = [a.get_text(strip=True) for a in site.page("").select("nav.md-nav--primary > ul > li > a")]
    assert "Glossary" in labels and labels.index("Glossary") + 1 == labels.index("References")


# --- The glossary file: problems are located ------------------------------------------------------

@pytest.mark.parametrize("line, problem", [
    ("- incidence: how many", "not a glossary entry"),
    ("- **incidence**: ", "not a glossary entry"),
    ("- **incidence**: How *many* people.", "must be plain text"),
    ("- **incidence**: How <b>many</b> people.", "must be plain text"),
    ("- **-incidence**: How many people.", "must start and end with a letter or digit"),
    ("- **MRI** (also: Prevalence): A scanner.", "\"Prevalence\" is already defined on line 2"),
])
def test_glossary_problems_name_file_and_line(line, problem):
    text = "<!-- a comment -->\n- **prevalence**: How many people have it.\n" + line + "\n"
    _, problems = glossary.parse_glossary(text, "includes/glossary.md")
    assert len(problems) == 1 and problems[0].startswith("includes/glossary.md:3: ") and problem in problems[0], problems


def test_forms_match_with_a_capital_and_keep_their_case():
    terms, _ = glossary.parse_glossary("- **randomised** (also: MRI scan): By chance. [@key]\n")
    assert glossary.abbreviations(terms) == {"randomised": "By chance.", "Randomised": "By chance.",
                                             "MRI scan": "By chance."}


def test_glossary_page_without_its_marker_stops_the_build():
    from backpain_site.kernel import BuildError
    from backpain_site.kernel.pipeline import Pipeline
    page = SimpleNamespace(file=SimpleNamespace(src_uri=GLOSSARY_PAGE, abs_src_path=None, generated_by=None,
                                                content_string=""), meta={})
    pipeline = Pipeline(())
    pipeline.build = SimpleNamespace(handlers={"glossary": lambda call: ""}, where=lambda page: f"docs/{page.file.src_uri}")
    with pytest.raises(BuildError, match=r"docs/glossary.md:1: this page must contain <!-- glossary -->"):
        pipeline.markdown("# Glossary\n", page)
