"""The build pipeline: one ordered list of features, run by one MkDocs hook (hooks/pipeline.py).

    backpain_site/kernel/pipeline.py     the order: FEATURES, and the frame every event runs in
    backpain_site/kernel/roles.py        what each page is (content page, care cards, reading gate), in one table
    backpain_site/kernel/shortcodes.py   the one dispatcher for `<!-- name: arg -->` markers in pages
    backpain_site/kernel/tree.py         the features' page steps as Python-Markdown tree processors
    backpain_site/kernel/yaml_nodes.py   YAML as nodes with line numbers, through libyaml
    backpain_site/kernel/front_matter.py a front-matter field's line, and the lines MkDocs strips, for file:line messages
    backpain_site/kernel/staging.py      a failed build never damages the last good site
    backpain_site/kernel/templates.py    compiled Jinja templates kept between builds (.cache/jinja/)

The features themselves live in packages named after what they do (backpain_site/features/citations/, backpain_site/features/studies/, backpain_site/features/claims/,
backpain_site/features/glossary/, backpain_site/features/care_cards/, backpain_site/features/sharing/, backpain_site/features/trust/, backpain_site/features/plain_language/, backpain_site/features/published_links/, backpain_site/features/stacked_tables/,
backpain_site/features/lean_assets/). Their logic imports without MkDocs (tests/test_pipeline.py checks it); MkDocs objects
(config, page, files) come in as arguments, and a problem is raised as BuildError, which the hook
turns into MkDocs' PluginError.
"""
from __future__ import annotations


class BuildError(Exception):
    """A problem that stops the build. The message already names file and line."""
