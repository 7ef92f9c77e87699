"""Links the site has published, and the promise that they keep working.

Clinicians send patients links to a page or to one section of it (``/how-common/#in-runners``);
those links live for years in text messages, handouts and QR codes. ``data/published-links.txt``
lists every such link; the tests check each still lands on an element with that id in the built
site (directly, or through a redirect of mkdocs-redirects). ``python -m backpain_site.features.published_links add``
(``make links``) adds the new pages and sections of a fresh build and never removes a line.

Plain Python (no MkDocs needed): ``contract.py`` reads the list and the built HTML,
``renames.py`` keeps renamed section ids resolving (data/renamed-sections.yml).
"""
