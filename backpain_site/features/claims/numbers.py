"""Does a sentence state a number? Digits, "1 in 4", "one in four", percentages, plain fractions.

A number in patient prose is a claim a reader will remember ("1 in 5 runners", "about a tenth
lower"), so it needs a citation in the same sentence. Some numbers are not claims (the 999 and 111
phone numbers, a licence version); data/claims.yml lists those as `not_claims` patterns, each with
its reason, and they are blanked out before the search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SMALL = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand"
)
_PATTERNS = (
    ("digits", re.compile(r"\d(?:[\d,.]*\d)?%?")),
    ("x in y", re.compile(rf"\b(?:{_SMALL})\s+in\s+(?:every\s+)?(?:{_SMALL})\b", re.I)),
    ("percent", re.compile(r"\bper\s?cent\b", re.I)),
    ("fraction", re.compile(r"\b(?:a|one|two|three)[\s-](?:half|third|quarter|fifth|tenth)s?\b", re.I)),
    ("fraction", re.compile(r"\b(?:half|twice|double|triple)\b", re.I)),
)


# The name of an interval ("95% CI", as in a table heading "Result (95% CI)") is never a result.
INTERVAL_NAME = re.compile(r"\b95% CI\b")


def strip_not_claims(text: str, not_claims: list[re.Pattern]) -> str:
    for pattern in (INTERVAL_NAME, *not_claims):
        text = pattern.sub(" ", text)
    return text


def number_in(text: str, not_claims: Sequence[re.Pattern[str]] = ()) -> str | None:
    """The first number-like phrase in `text` (after removing the not-claim patterns), or None."""
    text = strip_not_claims(text, list(not_claims))
    for _, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


# Every figure in a sentence, for the figures check (figures.py): "1 in 5" is one figure, then digits
# ("15", "22.6%", "2,539"), then the words of number_in.
_X_IN_Y = re.compile(rf"\b(?:\d+|{_SMALL})\s+in\s+(?:every\s+)?(?:\d+|{_SMALL})\b", re.I)
_FIGURE_PATTERNS = (_X_IN_Y,) + tuple(pattern for _, pattern in _PATTERNS)


def figures_in(text: str, not_claims: Sequence[re.Pattern[str]] = ()) -> list[tuple[int, int, str]]:
    """(start, end, text) of every number-like phrase in `text`, in order, none overlapping; the
    not-claim patterns are blanked out first (same length, so the offsets stay those of `text`)."""
    if not any(pattern.search(text) for pattern in _FIGURE_PATTERNS):  # most sentences: no figure at all
        return []
    for pattern in (INTERVAL_NAME, *not_claims):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, int, str]] = []
    for pattern in _FIGURE_PATTERNS:
        for match in pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), match.group(0)))
    return sorted(found)
