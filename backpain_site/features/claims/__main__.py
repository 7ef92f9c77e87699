"""`python -m backpain_site.features.claims check [SITE_DIR]`: check the ledger, and the built site in SITE_DIR (default site/).

Prints every problem as file:line: message and exits with 1 when there is any.
"""
from __future__ import annotations

import sys
from pathlib import Path

from backpain_site.features.citations import keys_in

from .check import ledger_problems, uncited_numbers
from .ledger import LEDGER_FILE, load
from .site import built_page, checked_pages


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "check":
        print(__doc__.strip())
        return 2
    root = Path.cwd()
    site = Path(argv[1]) if len(argv) > 1 else root / "site"
    keys = keys_in([root / "references.bib"], root)
    ledger, problems = load(root, keys)
    if site.is_dir():
        for page in checked_pages(root / "docs"):
            html = built_page(site, page).read_text(encoding="utf-8")
            md = (root / "docs" / page).read_text(encoding="utf-8")
            problems += uncited_numbers(html, ledger.patterns(), page, md)
            problems += ledger_problems([c for c in ledger.claims if c.page == page], html, LEDGER_FILE.as_posix())
    else:
        print(f"{site}: no built site; only the ledger was checked (run `make build` first)")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
