"""The claims-ledger feature: data/claims.yml checked before any page is built; the build stops on a problem.

Each entry needs a page that exists, a claim with a number in it, keys that are in references.bib
and the evidence passage it rests on. Every problem is listed at once as `file:line: claim N, ...`.
Whether each claim is still on its page, with its citation, is checked on the built site by
tests/test_claims.py (and `python -m backpain_site.features.claims check`). The logic is in backpain_site/features/claims/ledger.py.
"""
from __future__ import annotations

from backpain_site.features.citations import bib_keys
from backpain_site.kernel import BuildError

from .ledger import LEDGER_FILE, parse


class ClaimsLedger:
    name = "claims"

    def config(self, build):
        project = build.project
        if not project.has_data(LEDGER_FILE):  # a project without a ledger (e.g. the test fixtures)
            return
        keys = bib_keys(build)
        try:
            text = project.data_text(LEDGER_FILE)
        except OSError as err:
            raise BuildError(f"The claims ledger has problems:\n{LEDGER_FILE.as_posix()}: cannot read the claims ledger: "
                             f"{err.strerror}") from None
        _, problems = parse(text, LEDGER_FILE.as_posix(), keys, project.page_names())
        if problems:
            raise BuildError("The claims ledger has problems:\n" + "\n".join(map(str, problems)))
