"""The claims-ledger feature: data/claims.yml checked before any page is built; every figure on every
page tied to its record; the build stops on a problem.

Each ledger entry needs a page that exists, a claim with a number in it, keys that are in
references.bib and the evidence passage it rests on. Every problem is listed at once as
`file:line: claim N, ...`. Whether each claim is still on its page, with its citation, is checked on
the built site by tests/features/claims/test_claims.py (and `python -m backpain_site.features.claims check`). The
logic is in backpain_site/features/claims/ledger.py.

Figures (figures.py): each page's final HTML (page.content in the context step; no second Markdown
pass) is read for every number a reader sees; one that is not printed from data/studies.yml, not
inside a ledger claim and not equal to a record of a work its sentence cites is a `docs/page.md:line`
problem, and after the last page (post_build) the build stops listing them all.
"""

from __future__ import annotations

from pathlib import Path

from backpain_site.features.citations import bib_keys
from backpain_site.kernel import BuildError

from .check import source_line
from .figures import Checks, bib_records, merge, study_records
from .ledger import LEDGER_FILE, Ledger, parse
from .site import NOT_PROSE


class ClaimsLedger:
    name = "claims"

    def __init__(self):
        self.ledger = Ledger(LEDGER_FILE.as_posix())
        self.records: dict = {}
        self.aliases: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.problems: list[str] = []

    def config(self, build):
        self.problems = []
        project = build.project
        if project.has_data(LEDGER_FILE):  # a project without a ledger (e.g. the test fixtures)
            try:
                text = project.data_text(LEDGER_FILE)
            except OSError as err:
                raise BuildError(
                    f"The claims ledger has problems:\n{LEDGER_FILE.as_posix()}: cannot read the "
                    f"claims ledger: {err.strerror}"
                ) from None
            ledger, problems = parse(text, LEDGER_FILE.as_posix(), bib_keys(build), project.page_names())
            if problems:
                raise BuildError("The claims ledger has problems:\n" + "\n".join(map(str, problems)))
            self.ledger = ledger
        studies, citations = build.feature("studies"), build.feature("citations")
        entries = citations.report.entries if citations is not None and citations.report is not None else {}
        self.records = merge(study_records(studies.data if studies else None), bib_records(entries))
        # Citations are marked in the HTML by their alias (fn:knuth-ct-a for knuth:ct:a): back to the .bib key.
        self.aliases = build.project.keys_by_alias or {}
        self.names = {
            name: self.aliases.get(key, key) for key, name in (citations.work_names if citations else {}).items()
        }
        # A page checked before with the same inputs is not read again (figures.Checks: in memory
        # for `mkdocs serve`, in .cache/figures/ across builds).
        self.checks = build.session.cache(f"figures checked {build.root}", lambda: Checks(str(build.root)))

    def context(self, build, page, context) -> None:
        # Template context comes after every feature's content step: page.content is the page's final
        # HTML (read, never rewritten: no feature touches the finished HTML, tests/kernel/test_pipeline.py).
        src = page.file.src_uri
        if src in NOT_PROSE or not page.content:
            return
        restated = self._restated_keys(build, src)
        claims = [c for c in self.ledger.claims if c.page == src]
        found = self.checks.problems(
            page.content, claims, self.ledger.patterns(), self.records, restated, self.names, self.aliases
        )
        for text, problem in found:
            self.problems.append(f"{_locate(build, page, text)}: {problem}")

    @staticmethod
    def _restated_keys(build, src: str) -> tuple[str, ...]:
        """For a share handout (it restates its page's summaries without citations): the works its page cites."""
        sharing, citations = build.feature("share-kit"), build.feature("citations")
        page = sharing.handout_of.get(src) if sharing is not None else None
        if page is None or citations is None or citations.report is None:
            return ()
        where = f"{Path(build.config.docs_dir).name}/{page}"
        return tuple(key for key, found in citations.report.cited.items() if any(c.file == where for c in found))

    def post_build(self, build):
        # After the last page, before the staged site is swapped in: a failed check publishes nothing.
        if self.problems:
            raise BuildError(
                f"{len(self.problems)} figure(s) not tied to a record (data/studies.yml, a "
                f"data/claims.yml entry, or references.bib):\n" + "\n".join(self.problems)
            )


def _locate(build, page, text: str) -> str:
    """Where a reader's sentence was typed: the page's Markdown, else a shared include or a data file
    (a care card, a change entry, a share summary), as file:line."""
    project = build.project
    source = project.pages.get(page.file.src_uri)
    line = source_line(source.text if source is not None else (page.file.content_string or ""), text)
    if line:
        return f"{build.where(page)}:{line}"
    shared = [(s.shown, s.text) for s in project.snippets.values()]
    for name in sorted(n for n in project.data_names() if n.endswith(".yml")):
        try:
            shared.append((name, project.data_text(name)))
        except OSError:
            continue
    for shown, source_text in shared:
        line = source_line(source_text, text)
        if line:
            return f"{shown}:{line} (shown on {build.where(page)})"
    return f"{build.where(page)}:1"
