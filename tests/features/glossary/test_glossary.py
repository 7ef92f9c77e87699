"""Glossary: on every built page a glossary word carries its definition on its first use in each
section (plain text after that), and the Glossary page lists every term, all from includes/glossary.md."""

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


def definition_of(word: str) -> str | None:
    """The definition a glossary word (as written in the text) stands for, or None if no form matches."""
    lower = {form.lower(): term.title for term in TERMS for form in term.forms}
    for candidate in (word, word[:-1] if word.endswith("s") else None, word[:-2] if word.endswith("es") else None):
        if candidate and candidate.lower() in lower:
            return lower[candidate.lower()]
    return None


def section_of(node, current_h2) -> object:
    """The section a piece of text or an <abbr> is in: from one <h2> to the next, and "What changed
    on this page" on its own (it is shown apart from the text)."""
    changes = node.find_parent(class_="page-changes")
    return ("changes", id(changes)) if changes is not None else current_h2


def undefined_uses(article, terms) -> list[str]:
    """Each place in the article where a glossary word breaks the rule "marked on its first use in
    each section, plain text after that": a use with no marked use of the same word before it in its
    section, a second marked use in one section, or a marked use inside a link (a tap there follows
    the link, so a phone never shows the definition)."""
    pattern = term_pattern(terms)
    found = []
    marked: set = set()  # (section, definition) already marked
    h2 = None
    for node in article.descendants:
        if getattr(node, "name", None) == "h2":
            h2 = node
        if getattr(node, "name", None) == "abbr" and node.get("title"):
            key = (section_of(node, h2), node["title"])
            if key in marked:
                found.append(f"{node.get_text()!r} marked twice in one section")
            elif node.find_parent("a") is not None:
                found.append(f"{node.get_text()!r} marked inside a link")
            marked.add(key)
            continue
        if not isinstance(node, NavigableString) or any(
            p.name in EXEMPT or EXEMPT_CLASSES & set(p.get("class") or []) for p in node.parents
        ):
            continue
        in_link = node.find_parent("a") is not None
        for match in pattern.finditer(node):
            definition = definition_of(match.group(0))
            if definition is not None and (in_link or (section_of(node, h2), definition) in marked):
                continue
            context = " ".join(node[max(0, match.start() - 40) : match.end() + 40].split())
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
def test_each_glossary_word_carries_its_definition_on_its_first_use_in_each_section(site, md):
    article = site.page(page_url(md)).select_one("article")
    assert undefined_uses(article, TERMS) == [], f"docs/{md.relative_to(DOCS)}: glossary words with no definition"
    for abbr in article.find_all("abbr"):
        text = abbr.get_text()
        assert abbr.get("title") == DEFINITIONS.get(text), f"{md.name}: <abbr>{text}</abbr> has the wrong title"


def test_undefined_word_check_can_fail():
    disc = DEFINITIONS["disc"]
    html = (
        '<article><h1>Discs</h1><p>Two <abbr title="x">discs</abbr> and a proteoglycan.</p>'
        "<p>It was Randomised; an MRI.</p><p>A nice <code>MRI</code> day.</p>"
        f'<p>A <abbr title="{disc}">disc</abbr>, then discs and a <a href="#">disc</a>.</p>'
        f'<p>A <abbr title="{disc}">disc</abbr> again, and <a href="#"><abbr title="{disc}">discs</abbr></a>.</p>'
        '<h2>Next</h2><p>Discs, and then a <abbr title="{disc}">disc</abbr>.</p>'
        '<h2>Last</h2><p>See <a href="#"><abbr title="{disc}">discs</abbr></a>.</p>'
        f'<div class="page-changes"><p>A disc.</p></div></article>'
    ).replace("{disc}", disc)
    article = BeautifulSoup(html, "html.parser").article
    assert undefined_uses(article, TERMS) == [
        "'proteoglycan' in \u201cand a proteoglycan.\u201d",
        "'Randomised' in \u201cIt was Randomised; an MRI.\u201d",
        "'MRI' in \u201cIt was Randomised; an MRI.\u201d",
        "'disc' marked twice in one section",
        "'discs' marked twice in one section",
        "'Discs' in \u201cDiscs, and then a\u201d",
        "'discs' marked inside a link",
        "'disc' in \u201cA disc.\u201d",
    ]


def marked_words(text: str) -> list[str]:
    """`text` rendered as a page is (abbr with the glossary, then the glossary's tree step after toc),
    each glossary word listed in order: "[word]" where it is marked, "word" where it is plain."""
    import markdown
    from markdown.extensions import Extension
    from markdown.treeprocessors import Treeprocessor

    from backpain_site.kernel.tree import HEADED

    class Step(Treeprocessor):
        def run(self, root):
            glossary.first_uses_only(root, self.md.htmlStash.rawHtmlBlocks)

    class StepExtension(Extension):
        def extendMarkdown(self, md):  # noqa: N802
            md.treeprocessors.register(Step(md), "first_uses", HEADED)

    html = markdown.markdown(
        text,
        extensions=["abbr", "md_in_html", "toc", StepExtension()],
        extension_configs={"abbr": {"glossary": glossary.markdown_glossary(TERMS)}},
    )
    soup = BeautifulSoup(html, "html.parser")
    words = []
    for node in soup.find_all(string=term_pattern(TERMS)):
        for match in term_pattern(TERMS).finditer(node):
            words.append(f"[{match.group(0)}]" if node.parent.name == "abbr" else match.group(0))
    return words


def test_a_word_is_marked_on_its_first_use_in_each_section_only():
    text = (
        "A disc and two discs. [A disc link](#x).\n\n"
        "## One\n\nDiscs again, then a disc and an MRI.\n\n"
        '<div class="page-changes" markdown="1">\n\nA disc changed.\n\n</div>\n\n'
        "After the box, a disc.\n\n## Two\n\n"
        'See <a href="https://e.org/disc">https://e.org/disc</a> and [the disc page](#y), then a disc.\n'
    )
    assert marked_words(text) == [
        "[disc]",
        "discs",
        "disc",  # the intro
        "[Discs]",
        "disc",
        "[MRI]",  # a new section marks again
        "[disc]",  # "What changed on this page" is a section of its own
        "disc",  # and the section around it goes on after it
        "disc",
        "disc",
        "[disc]",  # the first use outside a link (HTML or Markdown) is marked
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
        for el in soup.select(
            "pre abbr, code abbr, kbd abbr, nav abbr, .md-nav abbr, a.headerlink abbr, .md-header abbr"
        ):
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
        refs = [a["href"].removeprefix("#fn:") for a in li.select("a.footnote-ref")]
        assert refs == cited, f"{term.term}: citations {refs} on the page, {cited} in the glossary"


def test_glossary_page_is_in_the_nav_beside_references(site):
    labels = [a.get_text(strip=True) for a in site.page("").select("nav.md-nav--primary > ul > li > a")]
    assert "Glossary" in labels and labels.index("Glossary") + 1 == labels.index("References")


# --- The glossary file: problems are located ------------------------------------------------------


@pytest.mark.parametrize(
    "line, problem",
    [
        ("- incidence: how many", "not a glossary entry"),
        ("- **incidence**: ", "not a glossary entry"),
        ("- **incidence**: How *many* people.", "must be plain text"),
        ("- **incidence**: How <b>many</b> people.", "must be plain text"),
        ("- **-incidence**: How many people.", "must start and end with a letter or digit"),
        ("- **MRI** (also: Prevalence): A scanner.", '"Prevalence" is already defined on line 2'),
    ],
)
def test_glossary_problems_name_file_and_line(line, problem):
    text = "<!-- a comment -->\n- **prevalence**: How many people have it.\n" + line + "\n"
    _, problems = glossary.parse_glossary(text, "includes/glossary.md")
    assert len(problems) == 1 and str(problems[0]).startswith("includes/glossary.md:3: "), problems
    assert problems[0].line == 3 and problem in problems[0].message, problems


def test_forms_match_with_a_capital_and_keep_their_case():
    terms, _ = glossary.parse_glossary("- **randomised** (also: MRI scan): By chance. [@key]\n")
    assert glossary.abbreviations(terms) == {
        "randomised": "By chance.",
        "Randomised": "By chance.",
        "MRI scan": "By chance.",
    }


def test_glossary_page_without_its_marker_stops_the_build():
    from backpain_site.kernel import BuildError
    from backpain_site.kernel.pipeline import Pipeline

    page = SimpleNamespace(
        file=SimpleNamespace(src_uri=GLOSSARY_PAGE, abs_src_path=None, generated_by=None, content_string=""), meta={}
    )
    pipeline = Pipeline(())
    pipeline.build = SimpleNamespace(
        handlers={"glossary": lambda call: ""}, where=lambda page: f"docs/{page.file.src_uri}", project=None
    )
    with pytest.raises(BuildError, match=r"docs/glossary.md:1: this page must contain <!-- glossary -->"):
        pipeline.markdown("# Glossary\n", page)
