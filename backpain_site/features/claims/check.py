"""Check built pages: numbers need citations in their sentence; ledger claims stay true.

Each function takes a page's built HTML and returns Problems (file:line messages); none raises.
"""

from __future__ import annotations

import re

from backpain_site.kernel.html_tree import parse
from backpain_site.kernel.problems import Problem

from .figures import table_cells
from .ledger import Claim
from .numbers import number_in
from .prose import Sentence, article, cited_keys, normalise, sentences


def source_line(markdown: str, sentence: str) -> int:
    """Best guess at the line of docs/page.md where a built sentence starts (0 if not found)."""
    words = re.findall(r"[A-Za-z0-9]+", sentence)[:6]
    if not words:
        return 0
    pattern = re.compile(r"[^A-Za-z0-9]+".join(map(re.escape, words)))
    flat = markdown
    match = pattern.search(flat)  # plain text between the words
    if not match:
        # markup between words (**bold**, [@key], links): allow anything short between them
        pattern = re.compile(r"[^\n]{1,120}?".join(map(re.escape, words[:4])))
        match = pattern.search(flat)
    return flat.count("\n", 0, match.start()) + 1 if match else 0


def uncited_numbers(html: str, not_claims: list[re.Pattern], page: str, markdown: str = "") -> list[Problem]:
    """Every sentence of patient prose with a number and no citation, as docs/page.md:line problems."""
    out = []
    for sentence in sentences(html):
        number = number_in(sentence.text, not_claims)
        if number and not sentence.keys:
            out.append(
                Problem(
                    f"docs/{page}",
                    source_line(markdown, sentence.text) if markdown else 0,
                    f'sentence with a number ("{number}") but no citation: "{sentence.text}"',
                )
            )
    return out


def ledger_problems(claims: list[Claim], html: str, ledger_file: str) -> list[Problem]:
    """Ledger entries (all on one page) whose claim is gone from the page or lost its citation (a
    claim may sit in a sentence of prose or in a table cell, which cites what its row or table cites)."""
    page_sentences = sentences(html) + table_cells(article(parse(html)))
    page_keys = cited_keys(html)
    out = []
    for claim in claims:
        wanted = normalise(claim.claim)
        holding: list[Sentence] = [s for s in page_sentences if wanted in normalise(s.text)]
        if not holding:
            out.append(
                Problem(
                    ledger_file,
                    claim.line,
                    f'claim "{claim.claim}" is no longer on docs/{claim.page} (in one sentence of its '
                    f"prose or one table cell); update the ledger entry with the page, or restore the claim",
                )
            )
            continue
        for key in claim.cites:
            if key not in page_keys:
                out.append(
                    Problem(
                        ledger_file, claim.line, f'claim "{claim.claim}": key "{key}" is not cited on docs/{claim.page}'
                    )
                )
            elif not any(key in s.keys for s in holding):
                out.append(
                    Problem(
                        ledger_file,
                        claim.line,
                        f'claim "{claim.claim}": key "{key}" is cited on docs/{claim.page}, but not in the '
                        f'sentence holding the claim: "{holding[0].text}"',
                    )
                )
    return out
