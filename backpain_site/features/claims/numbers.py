"""Does a sentence state a number? Digits, "1 in 4", "one in four", percentages, plain fractions.

A number in patient prose is a claim a reader will remember ("1 in 5 runners", "about a tenth
lower"), so it needs a citation in the same sentence. Some numbers are not claims (the 999 and 111
phone numbers, a licence version); data/claims.yml lists those as `not_claims` patterns, each with
its reason, and they are blanked out before the search.
"""
from __future__ import annotations

import re

_SMALL = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
          r"hundred|thousand")
_PATTERNS = (
    ("digits", re.compile(r"\d(?:[\d,.]*\d)?%?")),
    ("x in y", re.compile(rf"\b(?:{_SMALL})\s+in\s+(?:every\s+)?(?:{_SMALL})\b", re.I)),
    ("percent", re.compile(r"\bper\s?cent\b", re.I)),
    ("fraction", re.compile(r"\b(?:a|one|two|three)[\s-](?:half|third|quarter|fifth|tenth)s?\b", re.I)),
    ("fraction", re.compile(r"\b(?:half|twice|double|triple)\b", re.I)),
)


def strip_not_claims(text: str, not_claims: list[re.Pattern]) -> str:
    for pattern in not_claims:
        text = pattern.sub(" ", text)
    return text


def number_in(text: str, not_claims: list[re.Pattern] = ()) -> str | None:
    """The first number-like phrase in `text` (after removing the not-claim patterns), or None."""
    text = strip_not_claims(text, list(not_claims))
    for _, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None
