"""The accuracy audit kept true (issue 11), on the built pages.

(a) every sentence of patient prose that holds a number carries a citation in that sentence;
(b) every claim in the ledger (data/claims.yml) is still on its page;
(c) and still cites the ledger's key there, in the sentence holding it.
Plus: the ledger itself is checked with file:line messages, and every evidence page opens with a
"Key points" box of 2-4 cited bullets, each linking to a section of the page.
The rules live in backpain_site/features/claims/ (pure Python); these tests run them on the session's build.
"""

from __future__ import annotations

import re
import textwrap
from types import SimpleNamespace

import pytest
from conftest import BIB, DOCS, ROOT, page_url

from backpain_site.features.citations.project import load_bib
from backpain_site.features.claims import prose
from backpain_site.features.claims.check import ledger_problems, uncited_numbers
from backpain_site.features.claims.ledger import LEDGER_FILE, load, parse
from backpain_site.features.claims.numbers import number_in
from backpain_site.features.claims.site import checked_pages

BIB_KEYS = {entry.key for entry in load_bib(BIB, ROOT).entries}
LEDGER, LEDGER_PROBLEMS = load(ROOT, BIB_KEYS)
PAGES = checked_pages(DOCS)
EVIDENCE_PAGES = [
    "how-common.md",
    "run-walk-trial.md",
    "mechanisms/index.md",
    "mechanisms/discs.md",
    "mechanisms/beliefs.md",
    "mechanisms/activity.md",
]


def html_of(site, page: str) -> str:
    return str(site.page(page_url(DOCS / page)))


# --- (a) numbers in patient prose carry a citation ---------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_number_in_patient_prose_is_cited(site, page):
    problems = uncited_numbers(html_of(site, page), LEDGER.patterns(), page, (DOCS / page).read_text(encoding="utf-8"))
    assert not problems, (
        f"{len(problems)} sentence(s) on docs/{page} state a number with no citation in the "
        "same sentence (cite it, or list a non-claim pattern in data/claims.yml):\n" + "\n".join(map(str, problems))
    )


def test_the_prose_check_sees_the_text_it_should(site):
    # The extraction is not silently empty: the trial page has well over a hundred sentences, and the
    # For clinicians blocks, the Key points box and the care cards are among them.
    found = [s.text for s in prose.sentences(html_of(site, "run-walk-trial.md"))]
    assert len(found) > 100
    assert any(t.startswith("Mean (SD) training adherence 70% (20%)") for t in found)  # For clinicians
    assert any("Problems did happen" in t for t in found)  # Key points
    assert any("999" in t for t in found)  # the care cards (their wording may change; the number stays)
    assert not any("Page last reviewed" in t or "Reading level" in t for t in found)  # generated lines


RULE_PAGE = """
<article>
<h2 id="x">Runners: 1 in 5<a class="headerlink" href="#x">&para;</a></h2>
<p>In a year, 1 in 10 adults have back pain <sup id="fnref:u"><a class="footnote-ref" href="#fn:u">1</a></sup>.
Over a lifetime, the share is 65–80%. One in four said so. About a tenth fewer did. Call 999 now.
The range was 0.7–20.2%, e.g. in runners <sup id="fnref:m"><a class="footnote-ref" href="#fn:m">2</a></sup>.</p>
<p>The abstract reports <sup id="fnref2:m"><a class="footnote-ref" href="#fn:m">2</a></sup>:</p>
<ul><li>a fall of 15 points;</li><li>7 knee problems.</li></ul>
<p>Nothing was cited here:</p>
<ul><li>20 people ran.</li></ul>
<details class="info"><summary>For clinicians</summary><p>OR 2.24 (95% CI 1.21 to 4.15).</p></details>
<div class="admonition abstract"><p class="admonition-title">Key points 2026</p><ul><li>Runners: 3 in 10.</li></ul></div>
<div class="md-typeset__table"><table><tr><td>0.7–20.2%</td></tr></table></div>
<figure class="evidence-chart"><figcaption>Lines show the 95% confidence interval.</figcaption></figure>
<p class="page-stamp">Page last reviewed: 29 November 2026</p>
<div class="footnote"><ol><li id="fn:u"><p>Urits 2019. 23(3):23.</p></li></ol></div>
</article>
"""


def test_the_number_rule_on_a_small_page():
    flagged = [p.message for p in uncited_numbers(RULE_PAGE, [re.compile(r"\b999\b")], "x.md")]
    said = "\n".join(flagged)
    # Uncited numbers in paragraphs, lists, the For clinicians block and the Key points box are found...
    for sentence in (
        "Over a lifetime, the share is 65–80%.",
        "One in four said so.",
        "About a tenth fewer did.",
        "20 people ran.",
        "OR 2.24 (95% CI 1.21 to 4.15).",
        "Runners: 3 in 10.",
    ):
        assert f'"{sentence}"' in said, f"not flagged: {sentence}\n{said}"
    # ...but not cited ones, list items under a cited "...:" lead-in, phone numbers, headings, tables,
    # charts, review stamps or the reference list.
    for sentence in (
        "1 in 10 adults",
        "0.7–20.2%, e.g.",
        "15 points",
        "7 knee",
        "999",
        "Runners: 1 in 5",
        "confidence interval",
        "29 November",
        "Urits 2019",
        "Key points 2026",
    ):
        assert sentence not in said, f"wrongly flagged: {sentence}\n{said}"
    assert len(flagged) == 6, said


@pytest.mark.parametrize(
    "text, number",
    [
        ("1 in 4 runners", "1"),
        ("one in four runners", "one in four"),
        ("two in every five", "two in every five"),
        ("about 70% of sessions", "70%"),
        ("ten per cent", "per cent"),
        ("about a tenth lower", "a tenth"),
        ("one-fifth taller", "one-fifth"),
        ("half were women", "half"),
        ("twice the odds", "twice"),
        ("No numbers here at all.", None),
        ("One person fainted.", None),
    ],
)
def test_what_counts_as_a_number(text, number):
    assert number_in(text) == number


# --- (b), (c) the ledger's claims stay on their pages, with their keys ------------------------


def test_the_ledger_is_valid():
    assert not LEDGER_PROBLEMS, "\n".join(map(str, LEDGER_PROBLEMS))
    assert len(LEDGER.claims) >= 50
    assert {claim.page for claim in LEDGER.claims} >= set(EVIDENCE_PAGES)


@pytest.mark.parametrize("page", sorted({claim.page for claim in LEDGER.claims}))
def test_ledger_claims_are_on_their_page_with_their_citation(site, page):
    problems = ledger_problems(
        [c for c in LEDGER.claims if c.page == page], html_of(site, page), LEDGER_FILE.as_posix()
    )
    assert not problems, "\n".join(map(str, problems))


LEDGER_PAGE = """<article>
<p>Between 1 in 10 and 3 in 10 adults have back pain in any one year <sup><a class="footnote-ref" href="#fn:urits2019low">1</a></sup>.
About 2 in 3 said so. Runners ran 50 km <sup><a class="footnote-ref" href="#fn:maselli2020prevalence">2</a></sup>.</p>
</article>"""


def _ledger(claims_yaml: str):
    return parse(textwrap.dedent(claims_yaml), "data/claims.yml", BIB_KEYS, {"how-common.md"})


def test_a_claim_gone_from_its_page_or_its_citation_is_named_by_ledger_line():
    ledger, problems = _ledger("""\
        claims:
          - page: how-common.md
            claim: "1 in 10 and 3 in 10 adults have back pain"
            cites: [urits2019low]
            evidence: "EVIDENCE.md [7]: 10-30%"
          - page: how-common.md
            claim: "1 in 20 adults"
            cites: [urits2019low]
            evidence: "EVIDENCE.md [7]"
          - page: how-common.md
            claim: "About 2 in 3 said so"
            cites: [urits2019low]
            evidence: "EVIDENCE.md [7]"
          - page: how-common.md
            claim: "Runners ran 50 km"
            cites: [maselli2021italianrunners]
            evidence: "EVIDENCE.md [6]"
        """)
    assert not problems
    found = [str(p) for p in ledger_problems(ledger.claims, LEDGER_PAGE, "data/claims.yml")]
    assert found == [
        'data/claims.yml:6: claim "1 in 20 adults" is no longer on docs/how-common.md (in one sentence of its '
        "prose or one table cell); update the ledger entry with the page, or restore the claim",
        'data/claims.yml:10: claim "About 2 in 3 said so": key "urits2019low" is cited on docs/how-common.md, but '
        'not in the sentence holding the claim: "About 2 in 3 said so."',
        'data/claims.yml:14: claim "Runners ran 50 km": key "maselli2021italianrunners" is not cited on '
        "docs/how-common.md",
    ]


def test_ledger_mistakes_are_named_with_file_and_line():
    _, problems = _ledger("""\
        claims:
          - page: how-comon.md
            claim: "1 in 10 adults"
            cites: [urits2019]
            evidence: "my memory"
          - page: how-common.md
            claim: "no number in this claim"
            cites: [urits2019low]
            evidence: "EVIDENCE.md [7]"
          - page: how-common.md
            claim: "1 in 10"
            evidence: "EVIDENCE.md [7]"
            colour: red
        not_claims:
          - pattern: "(unclosed"
            reason: "a broken pattern"
        """)
    messages = [str(p) for p in problems]
    assert messages == [
        'data/claims.yml:2: claim 1, field "page": no page docs/how-comon.md; did you mean "how-common.md"?',
        'data/claims.yml:4: claim 1, field "cites": unknown key "urits2019" (not in references.bib); '
        'did you mean "urits2019low"?',
        'data/claims.yml:5: claim 1, field "evidence": say where the claim rests, starting with one of '
        "EVIDENCE.md, verified.bib, references.bib annote (then the section and a quote)",
        'data/claims.yml:7: claim 2, field "claim": "no number in this claim" holds no number; the ledger '
        "lists number-bearing claims",
        'data/claims.yml:10: claim 3: missing field "cites"',
        'data/claims.yml:13: claim 3: unknown field "colour" (known fields: page, claim, cites, evidence, note)',
        'data/claims.yml:15: not_claims 1, field "pattern": not a valid regular expression '
        "(missing ), unterminated subpattern at position 0)",
    ], "\n".join(messages)


def test_bad_yaml_is_one_message_not_a_traceback():
    _, problems = _ledger("claims:\n  - page: [unclosed\n")
    assert len(problems) == 1 and str(problems[0]).startswith("data/claims.yml:3: not valid YAML")


def test_the_build_stops_on_a_broken_ledger(tmp_path):
    from backpain_site.features.claims.build import ClaimsLedger
    from backpain_site.kernel import BuildError

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "how-common.md").write_text("# Page\n")
    (tmp_path / "references.bib").write_text((ROOT / "references.bib").read_text(encoding="utf-8"))
    (tmp_path / "data").mkdir()
    (tmp_path / LEDGER_FILE).write_text(
        'claims:\n  - page: how-common.md\n    claim: "1 in 10"\n    cites: [nokey]\n    evidence: "EVIDENCE.md [7]"\n'
    )
    from backpain_site.kernel.project import Project

    build = SimpleNamespace(
        root=tmp_path,
        get=lambda feature: None,
        config=SimpleNamespace(plugins={}),
        project=Project(tmp_path, tmp_path / "docs"),
    )
    with pytest.raises(BuildError) as raised:
        ClaimsLedger().config(build)
    assert 'data/claims.yml:4: claim 1, field "cites": unknown key "nokey" (not in references.bib)' in str(raised.value)


# --- Key points boxes ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", EVIDENCE_PAGES)
def test_evidence_page_opens_with_key_points(site, page):
    soup = site.page(page_url(DOCS / page))
    article = soup.select_one("article")
    first = next(
        el
        for el in article.find_all(recursive=False)
        if el.name not in {"h1", "a"} and "md-source-file" not in el.get("class", [])
    )
    assert "admonition" in first.get("class", []) and "abstract" in first.get("class", []), (
        f"docs/{page}: the page must open (after its title) with the Key points box, found {str(first)[:120]}"
    )
    assert first.select_one(".admonition-title").get_text(strip=True) == "Key points"
    items = first.select("li")
    assert 2 <= len(items) <= 4, f"docs/{page}: Key points has {len(items)} bullets (2 to 4 wanted)"
    for item in items:
        text = " ".join(item.get_text(" ").split())
        links = [a["href"] for a in item.select("a[href^='#']") if "footnote-ref" not in a.get("class", [])]
        assert links, f"docs/{page}: Key points bullet without a link to its section: {text}"
        for href in links:
            target = soup.find(id=href[1:])
            assert target is not None and target.name in {"h2", "h3"}, (
                f"docs/{page}: Key points link {href} does not land on a section heading: {text}"
            )
        assert item.select("a.footnote-ref"), f"docs/{page}: Key points bullet without a citation: {text}"
