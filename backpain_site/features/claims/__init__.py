"""The claims ledger and the number-citation rule, checked on the built pages.

- `ledger.py` reads data/claims.yml (each checked number-bearing claim: page, claim text, citation
  keys, the evidence-notes passage it rests on) with line numbers; `parse()` never raises, it
  returns file:line problems.
- `prose.py` finds the patient prose of a built page, sentence by sentence, with the citation keys
  each sentence carries; `numbers.py` says whether a sentence holds a number.
- `check.py` puts them together: sentences with a number and no citation, ledger claims that are
  no longer on their page, or no longer carry their key there.

Pure Python (no MkDocs, no BeautifulSoup): backpain_site/features/claims/build.py checks the ledger before a build,
tests/features/claims/test_claims.py checks the built site, `python -m backpain_site.features.claims check` does both from a shell.
"""
