"""The claims-ledger feature: data/claims.yml checked before any page is built; the build stops on a problem.

Each entry needs a page that exists, a claim with a number in it, keys that are in references.bib
and the evidence passage it rests on. Every problem is listed at once as `file:line: claim N, ...`.
Whether each claim is still on its page, with its citation, is checked on the built site by
tests/test_claims.py (and `python -m backpain_site.features.claims check`). The logic is in backpain_site/features/claims/ledger.py.
"""
from __future__ import annotations

from backpain_site.features.citations.build import bib_keys
from backpain_site.kernel import BuildError

from .ledger import LEDGER_FILE, load


class ClaimsLedger:
    name = "claims"

    def config(self, build):
        if not (build.root / LEDGER_FILE).exists():  # a project without a ledger (e.g. the test fixtures)
            return
        keys = bib_keys(build)
        _, problems = load(build.root, keys)
        if problems:
            raise BuildError("The claims ledger has problems:\n" + "\n".join(map(str, problems)))
