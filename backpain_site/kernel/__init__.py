"""The kernel: what every build needs, whatever features it runs. It imports no feature
(tests/site_wide/test_layers.py); the MkDocs hook (backpain_site/hook.py) hands it the feature list
(backpain_site/feature_list.py).

    pipeline.py       the frame every event runs in (Build, Session, Pipeline)
    project.py        the project read once per build: pages, snippets, data files (build.project)
    headings.py       a page's headings with the ids the built page gives them (in the index)
    problems.py       the one problem type (file, line, message, severity) every feature reports with
    roles.py          what each page is (content page, care cards, reading gate), in one table
    shortcodes.py     the one dispatcher for `<!-- name: arg -->` markers in pages
    markdown_code.py  where a page's Markdown holds code (left alone by shortcodes and citations);
                      a heading's words as plain text
    tree.py           the features' page steps as Python-Markdown tree processors
    yaml_nodes.py     YAML as nodes with line numbers, through libyaml; the one "not valid YAML" message;
                      the line of a setting in the site's config file (setting_line)
    schema.py         the data files' shapes, declared once and checked by one walker (file:line messages)
    front_matter.py   the one front-matter reader: fields, each one's line, the lines MkDocs strips
    clock.py          the one clock (SITE_TODAY or the machine's date) and the one date formatter
    staging.py        a failed build never damages the last good site
    templates.py      compiled Jinja templates kept between builds (.cache/jinja/)
    build_cache.py    the caches in .cache/ (keyed by their inputs: faster, never different)
    html_tree.py      a small HTML element tree (standard library only)

The features live in backpain_site/features/<name>/. Their logic imports without MkDocs
(tests/kernel/test_pipeline.py checks it); MkDocs objects (config, page, files) come in as arguments, and a
problem is raised as BuildError, which the hook turns into MkDocs' PluginError.
"""

from __future__ import annotations


class BuildError(Exception):
    """A problem that stops the build. The message already names file and line."""
