"""`python -m backpain_site.features.claims check [SITE_DIR]`: check the ledger, and the built site in SITE_DIR (default site/).
`python -m backpain_site.features.claims figures [SITE_DIR]`: count the figures on the built pages and how
each is tied to its record (printed from data/studies.yml, a ledger entry, a recorded value, or untied).

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
    if not argv or argv[0] not in ("check", "figures"):
        print(__doc__.strip())
        return 2
    if argv[0] == "figures":
        return figures(Path.cwd(), Path(argv[1]) if len(argv) > 1 else Path.cwd() / "site")
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


def figures(root: Path, site: Path) -> int:
    """Per page and in all: how many figures a reader sees, and how each is tied to its record (the
    build's check, build.py, on an already built site: pages and their share handouts)."""
    from backpain_site.features.citations import check_project, citation_name, register_pybtex_plugins
    from backpain_site.features.sharing import handout_src
    from backpain_site.features.studies import load as load_studies
    from backpain_site.kernel.project import SNIPPET_DIRS

    from .figures import HOW, bib_records, check_html, merge, study_records

    register_pybtex_plugins()
    bibs, sources = [root / "references.bib"], [root / "docs"] + [root / d for d in SNIPPET_DIRS]
    report = check_project(root, bibs, sources)
    ledger, problems = load(root, set(report.entries))
    try:
        study_text: str | OSError = (root / "data" / "studies.yml").read_text(encoding="utf-8")
    except OSError as err:
        study_text = err
    cited_at = {key: [(c.file, c.line) for c in found] for key, found in report.cited.items()}
    data, study_problems = load_studies(root, study_text, set(report.entries), cited_at)
    if problems or study_problems or report.errors or not site.is_dir():
        for problem in problems + study_problems + report.errors:
            print(problem)
        print(f"{site}: no built site (run `make build` first)" if not site.is_dir() else "")
        return 1
    records = merge(study_records(data), bib_records(report.entries))
    names = {citation_name(key, entry): key for key, entry in report.bib_data.entries.items()}
    aliases = {alias: key for key, alias in report.aliases.items()}  # HTML ids -> .bib keys
    total, untied = dict.fromkeys(HOW, 0), []
    print(f"{'page':32} {'figures':>7} " + " ".join(f"{how:>8}" for how in HOW))
    for page in checked_pages(root / "docs"):
        cited = tuple(key for key, found in report.cited.items() if any(c.file == f"docs/{page}" for c in found))
        handout = handout_src(page)
        for shown, built, keys in ((page, built_page(site, page), ()), (handout, built_page(site, handout), cited)):
            if not built.exists():
                continue
            found = check_html(
                built.read_text(encoding="utf-8"),
                [c for c in ledger.claims if c.page == page],
                ledger.patterns(),
                records,
                keys,
                names,
                aliases,
            )
            counts = found.counts()
            print(f"{shown:32} {sum(counts.values()):7} " + " ".join(f"{counts[how]:8}" for how in HOW))
            for how in HOW:
                total[how] += counts[how]
            untied += [f"docs/{shown}: {seen.problem}" for seen in found.problems()]
    print(f"{'all pages':32} {sum(total.values()):7} " + " ".join(f"{total[how]:8}" for how in HOW))
    print(f"tied to a record: {sum(total.values()) - total['untied']} of {sum(total.values())}")
    for line in untied:
        print(line)
    return 1 if untied else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
