"""What lets a reader trust the site and act on it: report a problem, changes and corrections, the feed.

Plain Python (no MkDocs): `changes.py` reads and checks data/changes.yml with line numbers,
`feed.py` writes the Atom feed of the same entries, `report.py` builds the "Report a problem with
this page" links, `linkcheck.py` checks the built site's external links (`make linkcheck`),
`searches.py` reads data/searches.yml (the saved PubMed searches) and `evidence_watch.py` runs them
(`make evidence-watch`).
backpain_site/features/trust/build.py is the MkDocs glue.
"""
