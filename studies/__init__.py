"""Study data (data/studies.yml) and what the site builds from it: badges, tables, the trial card, charts.

Plain Python, no MkDocs: the hooks in hooks/study_*.py and hooks/evidence_*.py are thin handlers over
these modules, and the tests call them directly.
"""
