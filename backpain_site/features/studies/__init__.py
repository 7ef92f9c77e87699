"""Study data (data/studies.yml) and what the site builds from it: badges, tables, the trial card, charts.

Plain Python, no MkDocs: the feature in backpain_site/features/studies/build.py is a thin layer over
these modules, and the tests call them directly.
"""
