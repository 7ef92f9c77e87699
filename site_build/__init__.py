"""The build pipeline: one ordered list of features, run by one MkDocs hook (hooks/pipeline.py).

    site_build/pipeline.py     the order: FEATURES, and the frame every event runs in
    site_build/roles.py        what each page is (content page, care cards, reading gate), in one table
    site_build/shortcodes.py   the one dispatcher for `<!-- name: arg -->` markers in pages
    site_build/tree.py         the features' page steps as Python-Markdown tree processors
    site_build/yaml_nodes.py   YAML as nodes with line numbers, through libyaml
    site_build/front_matter.py a front-matter field's line, and the lines MkDocs strips, for file:line messages
    site_build/staging.py      a failed build never damages the last good site
    site_build/templates.py    compiled Jinja templates kept between builds (.cache/jinja/)

The features themselves live in packages named after what they do (citations/, studies/, claims/,
glossary/, care_cards/, sharing/, trust/, plain_language/, published_links/, stacked_tables/,
lean_assets/). Their logic imports without MkDocs (tests/test_pipeline.py checks it); MkDocs objects
(config, page, files) come in as arguments, and a problem is raised as BuildError, which the hook
turns into MkDocs' PluginError.
"""
from __future__ import annotations


class BuildError(Exception):
    """A problem that stops the build. The message already names file and line."""
