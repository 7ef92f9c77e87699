"""How study data reads on a page: numbers, evidence badges, the studies table and the trial card.

Pure functions from data/studies.yml's parsed form (studies.data) to HTML or Markdown text.
Citations are written as `[@key]`, so mkdocs-bibtex numbers them like any other on the page.
"""

from __future__ import annotations

import copy
import html
import re
from decimal import ROUND_HALF_UP, Decimal
from xml.etree.ElementTree import Element, SubElement

from markdown.extensions.footnotes import NBSP_PLACEHOLDER

from .data import DESIGNS, TRIAL_ITEMS, Finding, Number, Study, StudyData, Trial

NOT_REPORTED = "Not reported"
MINUS = "\u2212"
# What each trial-card line is called on the page (plain words), in the card's order.
TRIAL_LABELS = {
    "registration": "Registration",
    "participants": "Who took part",
    "arms": "Run-walk group",
    "comparator": "Comparison group",
    "primary_outcomes": "Main outcomes",
    "adherence": "Sticking with it",
    "adverse_events": "Side effects",
}
assert set(TRIAL_LABELS) == set(TRIAL_ITEMS)


# --- numbers ---------------------------------------------------------------------------------------


def signed(text: str) -> str:
    """A number as typed, with a real minus sign: "-15.30" -> "−15.30"."""
    return MINUS + text[1:] if text.startswith("-") else text


def with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def span(low: str, high: str) -> str:
    return f"{signed(low)}–{signed(high)}"


def ci_text(number: Number) -> str:
    return f"{signed(number.ci[0])} to {signed(number.ci[1])}" if number.ci else ""


def number_value(number: Number) -> str:
    """The number's value where data.py's checks require one: on a number without a range, and on every
    difference between groups (which also has its interval)."""
    if number.value is None:
        raise ValueError(f'study number "{number.id}" (line {number.line}) has no value')
    return number.value


def number_text(number: Number) -> str:
    """'−15.30 points (95% CI −25.33 to −5.27)', '0.7–20.2%', '70% (SD 20%; ...)'."""
    if number.range:
        text = with_unit(span(*number.range), number.unit)
    else:
        text = with_unit(signed(number_value(number)), number.unit)
    extras = []
    if number.ci:
        extras.append(f"95% CI {ci_text(number)}")
    if number.note:
        extras.append(number.note)
    return text + (f" ({'; '.join(extras)})" if extras else "")


def p_text(number: Number) -> str:
    if number.p is None:
        return "—"
    return number.p if number.p[:1] in "<>=" else f"{number.p}"


def estimate_text(number: Number, unit: bool = True) -> str:
    """A result with its interval, for tables: '−15.30 points (−25.33 to −5.27)'; no interval, no brackets.
    `unit=False` leaves the unit to the table's heading: '0.90 (0.85 to 0.96)'."""
    text = with_unit(signed(number_value(number)), number.unit if unit else "")
    return f"{text} ({ci_text(number)})" if number.ci else text


# The main text rounds; exact figures, with their intervals, go in the "For clinicians" boxes. The one
# rounding rule: the size of a value (the words around it say which way: "lower", "fewer"); a whole
# number as typed stays as it is; a value with a unit (points, %, km) from 1 up goes to a whole number;
# any other (a ratio, a β, a value below 1) to one decimal place; halves round up.
def rounded(text: str, unit: str = "") -> str:
    size = abs(Decimal(text))
    if "." not in text:
        return str(size)
    step = Decimal(1) if unit and size >= 1 else Decimal("0.1")
    return str(size.quantize(step, rounding=ROUND_HALF_UP))


def rounded_text(number: Number) -> str:
    """A figure as the main text gives it: '15 points', '70%', '1.2' (a range: '0.7–20%')."""
    if number.range:
        return with_unit("–".join(rounded(v, number.unit) for v in number.range), number.unit)
    return with_unit(rounded(number_value(number), number.unit), number.unit)


def figure_span(ref: str, text: str) -> str:
    """A printed figure, marked so the figures check (backpain_site/features/claims/figures.py) knows it
    came from its record: `ref` is "studykey/number-id"."""
    return f'<span class="study-figure" data-figure="{html.escape(ref)}">{html.escape(text)}</span>'


def figure_table(key: str, study: Study) -> str:
    """A work's results with an interval or a p value, as a Markdown table (measure, result, p), in the
    order of data/studies.yml: the one copy of a results table that several pages show."""
    rows = ["| Measure | Result (95% CI) | p |", "|---|---|---|"]
    for number in study.numbers:
        if number.value is None or (number.ci is None and number.p is None):
            continue
        rows.append(
            f"| {md_text(number.label)} | {figure_span(f'{key}/{number.id}', estimate_text(number))} "
            f"| {md_text(p_text(number))} |"
        )
    return (
        f'<div class="figure-table" data-figures="{html.escape(key)}" markdown>\n\n' + "\n".join(rows) + "\n\n</div>\n"
    )


# --- badges ----------------------------------------------------------------------------------------


def badge_parts(study: Study) -> list[str]:
    """['Randomised trial', '40 adults'], ['Guideline', 'web page']: what the badge says."""
    parts = [DESIGNS[study.design]]
    if study.size:
        parts.append(study.size.text())
    if study.published_as:
        parts.append(study.published_as)
    return parts


def badge_element(study: Study) -> Element:
    """A small labelled badge (an element of the page's tree). Screen readers hear "Evidence: Randomised
    trial, 40 adults"; the visible middle dot is hidden from them and a hidden comma takes its place.
    Added before the abbr extension runs, so glossary words in it get their definitions like any text."""
    badge = Element("span", {"class": "evidence-badge"})
    label = SubElement(badge, "span", {"class": "evidence-badge__sr"})
    label.text = "Evidence: "
    first, *rest = badge_parts(study)
    label.tail = first
    for part in rest:
        dot = SubElement(badge, "span", {"aria-hidden": "true"})
        dot.text = " · "
        comma = SubElement(badge, "span", {"class": "evidence-badge__sr"})
        comma.text = ", "
        comma.tail = part
    return badge


def _append_text(parent: Element, index: int, text: str) -> None:
    """Add text where a new child will go at `index` (the parent's text, or the tail before it)."""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text


def add_badges(
    root: Element, studies: dict[str, Study], made: dict[str, Element] | None = None, keys: dict[str, str] | None = None
) -> None:
    """Put each work's badge into its reference: the page's footnotes (`<li id="fn:ID">`, which the
    tap panel copies) and the References page list (`<li id="ref-ID">`).

    ID is the key as mkdocs-bibtex and HTML ids take it (`knuth-ct-a` for `knuth:ct:a`, see
    citations/checks.py alias_for); `keys` maps each such ID back to the .bib key data/studies.yml
    uses (an ID not in it is the key itself).

    The badge goes after the reference text, before the footnote's back-link. `made` keeps each
    work's badge between pages (the same works are cited on many pages).
    """
    made = {} if made is None else made
    for item in root.iter("li"):
        ident = item.get("id", "")
        key = ident[3:] if ident.startswith("fn:") else ident[4:] if ident.startswith("ref-") else None
        if key and keys:
            key = keys.get(key, key)
        study = studies.get(key) if key else None
        if key is None or study is None or any(el.get("class") == "evidence-badge" for el in item.iter("span")):
            continue
        if key not in made:
            made[key] = badge_element(study)
        badge = copy.deepcopy(made[key])
        backref = next(
            (
                (parent, i)
                for parent in item.iter()
                for i, a in enumerate(parent)
                if a.tag == "a" and a.get("class") == "footnote-backref"
            ),
            None,
        )
        if backref is not None:
            parent, index = backref
            before = parent.text if index == 0 else parent[index - 1].tail
            if before and before.endswith(NBSP_PLACEHOLDER):  # "text&#160;<a ↩>": the badge goes before the space
                trimmed = before[: -len(NBSP_PLACEHOLDER)]
                if index == 0:
                    parent.text = trimmed
                else:
                    parent[index - 1].tail = trimmed
                badge.tail = NBSP_PLACEHOLDER
            _append_text(parent, index, " ")
            parent.insert(index, badge)
        else:
            target = item[-1] if len(item) and item[-1].tag == "p" else item
            _append_text(target, len(target), " ")
            target.append(badge)


# --- tables ----------------------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")


def md_text(text: str) -> str:
    """Plain text from the data file, safe inside Markdown (and a table cell): nothing becomes markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ")


def cite(keys: list[str]) -> str:
    return "[" + "; ".join(f"@{key}" for key in keys) + "]"


def design_cell(study: Study) -> str:
    cell = md_text(" · ".join(badge_parts(study)))
    if study.design_note:
        cell += "<br>" + md_text(study.design_note)
    return cell


# The studies tables' certainty column: its heading says whose judgement it is.
CERTAINTY_HEADING = "How sure we are (our team's judgement)"
NOT_RATED = "Not rated"
# Said wherever a certainty is shown: the rating is the site team's, not a formal GRADE assessment.
CERTAINTY_OWNER = "This is our team's own judgement. It is not a formal GRADE rating."


def certainty_cell(findings: list[Finding]) -> str:
    """'Low: pain after 12 weeks; Very low: disability after 12 weeks', or 'Not rated'."""
    if not findings:
        return NOT_RATED
    return "; ".join(f"{f.label}: {f.about}" for f in findings)


def studies_table(keys: list[str], data: StudyData, names: dict[str, str]) -> str:
    """A Markdown table of the given works (in the order given), and their key numbers for clinicians.

    When a main finding of any of them is rated (data/studies.yml `findings:`), a last column says how
    sure the site team is about it."""
    rated = any(data.findings_for(key) for key in keys)
    rows = [
        "| Study | Design and size | Who took part | Length | Main finding | Known limits |"
        + (f" {CERTAINTY_HEADING} |" if rated else ""),
        "|---|---|---|---|---|---|" + ("---|" if rated else ""),
    ]
    for key in keys:
        study = data.studies[key]
        # Limits are written as sentences ("…, not a study of patients."): joined as sentences.
        limits = (
            " ".join(s if s.rstrip().endswith((".", "!", "?")) else s.rstrip() + "." for s in study.limits)
            if study.limits
            else "None noted in our sources"
        )
        cells = [
            f"{md_text(names.get(key, key))} {cite([key])}",
            design_cell(study),
            md_text(study.participants or NOT_REPORTED),
            md_text(study.duration or NOT_REPORTED),
            md_text(study.finding),
            md_text(limits),
        ]
        if rated:
            cells.append(md_text(certainty_cell(data.findings_for(key))))
        rows.append("| " + " | ".join(cells) + " |")
    # Out of Material's search index: every page's table repeats the same studies (a fifth of the
    # index every first view downloads); the page's own words and the References page stay searchable.
    out = '<div class="studies-table" data-search-exclude markdown>\n\n' + "\n".join(rows) + "\n\n</div>\n"
    numbers = [(key, n) for key in keys for n in data.studies[key].numbers]
    if numbers:
        lines = ["| Study | Measure | Result | p |", "|---|---|---|---|"]
        for key, number in numbers:
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"{md_text(names.get(key, key))} {cite([key])}",
                        md_text(number.label),
                        figure_span(f"{key}/{number.id}", number_text(number)),
                        md_text(p_text(number)),
                    ]
                )
                + " |"
            )
        body = "\n".join(
            "    " + line for line in ["Key numbers from these studies, as our evidence notes give them:", ""] + lines
        )
        out += '\n??? info "For clinicians"\n\n' + body + "\n"
    return out


def trial_card(trial: Trial, names: dict[str, str]) -> str:
    """The trial's key facts as a card: two Markdown tables (facts; between-group effects) in a box."""
    facts = ["| About the trial | Details |", "|---|---|"]
    for name, label in TRIAL_LABELS.items():
        item = trial.items[name]
        facts.append(f"| **{md_text(label)}** | {md_text(item.text)} {cite(item.cite)} |")
    effects = ["| Difference between the groups | Difference (95% CI) | p |", "|---|---|---|"]
    for row in trial.effects:
        n = row.number
        shown = estimate_text(n) if n.ci else f"{with_unit(signed(number_value(n)), n.unit)} ({NOT_REPORTED})"
        effects.append(f"| {md_text(row.label)} | {md_text(shown)} {cite([row.key])} | {md_text(p_text(n))} |")
    return (
        f'<div class="trial-card" id="trial-card-{html.escape(trial.id)}" markdown>\n\n'
        + "\n".join(facts)
        + "\n\n"
        + "\n".join(effects)
        + "\n\n</div>\n"
    )


def _cited(sentence: str, keys) -> str:
    """The sentence with its citation before the closing full stop, as authors write them (a mark after
    the stop would belong to the next sentence for the claims check and for readers)."""
    text = sentence.rstrip()
    end = text[-1] if text and text[-1] in ".!?" else ""
    return f"{md_text(text[: len(text) - len(end)])} {cite(keys)}{end}"


def certainty_note(finding: Finding, how_link: str | None = None) -> str:
    """The box next to a finding on a page: the level, the finding in GRADE's plain words, why, and
    whose judgement it is. Markdown with `[@key]` citations (the sentences carry facts and numbers)."""
    link = f" [How we judge this]({how_link})." if how_link else ""
    return (
        f'<div class="certainty certainty--{finding.certainty.replace(" ", "-")}" '
        f'data-certainty="{html.escape(finding.certainty)}" data-finding="{html.escape(finding.id)}" markdown>\n\n'
        f"**How sure are we? {md_text(finding.label)} certainty.** {_cited(finding.says, finding.studies)}\n"
        f"{_cited(finding.reason, finding.studies)}\n"
        f"*{md_text(CERTAINTY_OWNER)}*{link}\n\n</div>\n"
    )
