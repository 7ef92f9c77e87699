"""The "When to get help" care cards: emergency, urgent and routine, from one snippet.

The cards are content, so they live in includes/help-box.md (Markdown with citations), not in Python.
Each card there starts with `## Heading { #level }` (level: emergency, urgent or routine). Inside a
card, a `<!-- short -->` line starts text shown only in the short cards, `<!-- full -->` text shown
only in the full ones, `<!-- both -->` text shown in both; text before any marker is in both. The
emergency card may not have short or full text: every emergency sign shows on every page.

* The When to get help page (the `full_cards` role, backpain_site/kernel/roles.py) shows each card in full
  where it writes `<!-- care-card: LEVEL -->`, with the card's heading as a section (H2) of the
  page; it must place all three.
* Every other page ends with the short cards under a "When to get help" H2, unless it says
  `help_box: false` in its front matter.

Each card heading starts with a visually hidden "Emergency: " (or "Urgent: ", "Routine: ") for
screen readers, like NHS care cards; the card's colour shows the same to sighted readers.
The feature (backpain_site/features/care_cards/build.py) runs before mkdocs-bibtex, so the cards' [@key] citations resolve.

Card signs have ids, so a page that restates a sign prints the card's own words. A sign is a list item
ending `<!-- sign: ID -->` (the marker never reaches a page); a page writes `<!-- care-sign: ID -->`
(inside a list item, or alone) and gets that sign's words with its citations: its own, or else those of
the card sentence that leads into its list. Take-home restates the emergency signs this way, so a
restatement cannot drop "severe or getting worse" while the card keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from backpain_site.kernel.headings import Heading
from backpain_site.kernel.markdown_code import code_spans, inside, plain_text
from backpain_site.kernel.roles import HELP_PAGE, role_of  # noqa: F401 - HELP_PAGE re-exported (tests/features/care_cards/)
from backpain_site.kernel.shortcodes import ShortcodeProblem, expand

SNIPPET = Path("includes") / "help-box.md"
# Card levels in the order they are shown, with the prefix a screen reader says before the heading.
PREFIXES = {"emergency": "Emergency:", "urgent": "Urgent:", "routine": "Routine:"}
# The heading (and its id) above the short cards at the end of a page.
SECTION_HEADING = "When to get help"
SECTION_ID = "when-to-get-help"
# Heading ids the cards add to pages (tests/site_wide/test_headings.py allows them).
ADDED_IDS = frozenset({SECTION_ID, *PREFIXES})

CARD_HEADING = re.compile(r"^## +(?P<title>.+?) *\{ *#(?P<level>[^\s}]+) *\} *$")
MARKER = re.compile(r"^<!-- *(?P<version>short|full|both) *-->\s*$")
SHORTCODE = re.compile(r"^<!-- *care-card *: *(?P<level>[^\s>]*) *-->[ \t]*$", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
SIGN_ID = re.compile(r"\s*<!-- *sign *: *(?P<id>[^\s>]*) *-->\s*$")
SIGN_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
CITATION = re.compile(r"\[@[^\]]*\]")


class CardError(ValueError):
    """A problem in the snippet, at a 1-based line."""

    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line


@dataclass(frozen=True)
class Sign:
    """One sign on a card: its words as the card writes them, and the citations a restatement carries."""

    id: str
    level: str
    line: int
    text: str  # the list item's Markdown without its "- " and id marker
    cites: str  # "[@key; ...]": the item's own citations, else those of the sentence before its list

    def markdown(self) -> str:
        """The sign as a page restates it: the card's words, cited."""
        return self.text if CITATION.search(self.text) else f"{self.text} {self.cites}".rstrip()


@dataclass
class Card:
    level: str
    title: str
    line: int
    short: list[str] = field(default_factory=list)
    full: list[str] = field(default_factory=list)
    signs: dict[str, Sign] = field(default_factory=dict)


def parse_cards(snippet: str) -> dict[str, Card]:
    """The snippet's cards by level, in PREFIXES order. Raises CardError for a malformed snippet."""
    cards: dict[str, Card] = {}
    card: Card | None = None
    version = "both"
    lead_cites = ""  # the citations of the card's last line of text that is not a list item
    seen: dict[str, Sign] = {}
    lines = snippet.splitlines()
    preamble = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), snippet).splitlines()
    for number, (line, bare) in enumerate(zip(lines, preamble), start=1):
        heading = CARD_HEADING.match(line)
        marker = MARKER.match(line)
        if heading:
            level = heading["level"]
            if level not in PREFIXES:
                raise CardError(number, f'unknown card "{level}": the cards are {", ".join(PREFIXES)}')
            if level in cards:
                raise CardError(number, f'a second "{level}" card (the first is at line {cards[level].line})')
            card = cards[level] = Card(level, heading["title"], number)
            version = "both"
        elif card is None:
            if bare.strip():
                raise CardError(number, 'text before the first card: start each card with "## Heading { #emergency }"')
        elif marker:
            version = marker["version"]
            if card.level == "emergency" and version != "both":
                raise CardError(
                    number,
                    f"the emergency card is the same everywhere (every emergency sign shows on every page): remove <!-- {version} -->",
                )
        elif line.startswith("#"):
            raise CardError(number, "a heading inside a card: a card has only its own heading")
        else:
            marker_of_sign = SIGN_ID.search(line)
            if marker_of_sign:
                line = line[: marker_of_sign.start()].rstrip()
                sign_id = marker_of_sign["id"]
                if not line.startswith("- "):
                    raise CardError(
                        number, f'<!-- sign: {sign_id} --> marks a list item: put it at the end of a line starting "- "'
                    )
                if not SIGN_NAME.fullmatch(sign_id):
                    raise CardError(
                        number, f'sign id "{sign_id}": use lower-case words joined by hyphens (<!-- sign: one-leg -->)'
                    )
                if sign_id in seen:
                    raise CardError(number, f'a second sign "{sign_id}" (the first is at line {seen[sign_id].line})')
                seen[sign_id] = card.signs[sign_id] = Sign(sign_id, card.level, number, line[2:].strip(), lead_cites)
            elif line.strip() and not line.lstrip().startswith("- "):
                cites = CITATION.findall(line)
                lead_cites = "[" + "; ".join(c[1:-1] for c in cites) + "]" if cites else ""
            if version in ("both", "short"):
                card.short.append(line)
            if version in ("both", "full"):
                card.full.append(line)
    missing = [level for level in PREFIXES if level not in cards]
    if missing:
        raise CardError(len(lines) or 1, f'no "{missing[0]}" card: the snippet needs {", ".join(PREFIXES)}')
    return {level: cards[level] for level in PREFIXES}


# Material's search leaves out a heading with this attribute and its whole section. (On a <div> it
# would not do: Material's parser forgets it at the first nested </div>.)
SEARCH_EXCLUDE = "data-search-exclude"


def all_signs(cards: dict[str, Card]) -> dict[str, Sign]:
    """Every card's signs by id."""
    return {sign.id: sign for card in cards.values() for sign in card.signs.values()}


def sign_text(cards: dict[str, Card]):
    """The `<!-- care-sign: ID -->` shortcode's handler: that sign in the card's own words, cited."""

    def handler(call) -> str:
        signs = all_signs(cards)
        if call.arg not in signs:
            raise ShortcodeProblem(
                f'no card sign "{call.arg}": write <!-- care-sign: ID --> with ID one of '
                + ", ".join(signs)
                + f" (the <!-- sign: ID --> markers in {SNIPPET.as_posix()})"
            )
        return signs[call.arg].markdown()

    return handler


def render_card(card: Card, full: bool, depth: int) -> str:
    """One card as Markdown: a coloured box whose heading (H`depth`) starts with a hidden prefix.
    A short card is left out of the search index: it repeats, on every page, a card When to get help
    shows in full (and search finds it there)."""
    body = "\n".join(card.full if full else card.short).strip("\n")
    hidden = f'<span class="visually-hidden">{PREFIXES[card.level]} </span>'
    unsearched = "" if full else f" {SEARCH_EXCLUDE}"
    return (
        f'<div class="care-card care-card--{card.level}" markdown>\n\n'
        f"{'#' * depth} {hidden}{card.title} {{ #{card.level}{unsearched} }}\n\n"
        f"{body}\n\n</div>"
    )


def short_cards(cards: dict[str, Card]) -> str:
    """Every card, short, under one H2: what goes at the end of a content page (not searched: the
    same on every page, and in full on When to get help)."""
    inner = "\n\n".join(render_card(card, full=False, depth=3) for card in cards.values())
    return (
        f'<div class="care-cards" markdown>\n\n'
        f"## {SECTION_HEADING} {{ #{SECTION_ID} {SEARCH_EXCLUDE} }}\n\n{inner}\n\n</div>"
    )


def full_card(cards: dict[str, Card], placed: set[str]):
    """The `<!-- care-card: LEVEL -->` shortcode's handler: that card in full, as an H2 section.
    Records the levels placed in `placed`; a wrong or repeated level is a ShortcodeProblem."""

    def handler(call) -> str:
        level = call.arg
        if level not in cards:
            raise ShortcodeProblem(
                f'unknown shortcode "{call.text}": write <!-- care-card: LEVEL --> '
                f"with LEVEL one of {', '.join(PREFIXES)}"
            )
        if level in placed:
            raise ShortcodeProblem(f'the "{level}" card is already on this page')
        if not call.alone:
            raise ShortcodeProblem(f"put <!-- care-card: {level} --> on a line of its own")
        placed.add(level)
        return render_card(cards[level], full=True, depth=2)

    return handler


def place_full_cards(markdown: str, cards: dict[str, Card]) -> tuple[str, set[str]]:
    """Replace each `<!-- care-card: LEVEL -->` line by that card in full (through the dispatcher).

    Returns the new Markdown and the levels placed. Raises CardError for an unknown or repeated
    shortcode, with the line it is on.
    """
    placed: set[str] = set()
    text, problems, _ = expand(markdown, {"care-card": full_card(cards, placed)})
    if problems:
        raise CardError(problems[0].line, problems[0].message)
    return text, placed


def wants_help_box(src_uri: str, meta: dict) -> bool:
    """True when the page's role ends it with the short cards (backpain_site/kernel/roles.py: every page but
    When to get help) and the page does not say `help_box: false`.

    Raises ValueError for a value that is not a boolean (e.g. `help_box: no thanks`).
    """
    value = meta.get("help_box", True)
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value and role_of(src_uri).short_cards


def append_help_box(markdown: str, snippet: str) -> str:
    """The page's Markdown with the snippet after its last line, separated by a blank line."""
    return markdown.rstrip("\n") + "\n\n" + snippet.strip("\n") + "\n"


def placed_headings(body: str, titles: dict[str, str]) -> list[Heading]:
    """The H2 each `<!-- care-card: LEVEL -->` line of a page's text puts there (the card's title, id
    LEVEL), at that line, like the page's own headings in the project index (backpain_site/kernel/
    headings.py): a section clinicians can share and a change can name. A level without a title in
    `titles` places nothing; a line inside code is an example, not a card."""
    code = [(s, e) for s, e in code_spans(body) if not body.startswith("<!--", s)]
    return [
        Heading(
            2, plain_text(titles[m["level"]]), m["level"], True, body.count("\n", 0, m.start()) + 1, titles[m["level"]]
        )
        for m in SHORTCODE.finditer(body)
        if m["level"] in titles and not inside(m.start(), code)
    ]
