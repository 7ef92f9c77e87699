"""The only MkDocs hook (mkdocs.yml `hooks:`): every event this site uses, declared once, handed to the
kernel's Pipeline with the ordered feature list beside this file (backpain_site/feature_list.py).

Here only where the pipeline sits among MkDocs' plugins (the priorities around mkdocs-bibtex's events
are in its adapter, backpain_site/features/citations/bibtex_plugin.py):
  * config before mkdocs-bibtex's on_config (the pipeline gives it its bibliography)
  * page_markdown twice: before mkdocs-bibtex turns [@key] into footnotes, and after
  * post_build at -1000: after every plugin has written its files, so the staged site is complete
  * page_read_source: MkDocs takes each page's text from the project index (read once per build,
    backpain_site/kernel/project.py) instead of reading the file again
Every other event runs after the plugins (MkDocs runs hooks after plugins of the same priority).
A BuildError becomes MkDocs' PluginError: one message, no traceback.
"""

from __future__ import annotations

import functools

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from backpain_site.feature_list import FEATURES
from backpain_site.features.citations.bibtex_plugin import (
    CONFIG_BEFORE_PLUGIN,
    MARKDOWN_AFTER_PLUGIN,
    MARKDOWN_BEFORE_PLUGIN,
)
from backpain_site.kernel import BuildError
from backpain_site.kernel.pipeline import Pipeline

PIPELINE = Pipeline(FEATURES)


def _plain_errors(handler):
    @functools.wraps(handler)
    def run(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except BuildError as error:
            raise PluginError(str(error)) from None

    return run


def on_startup(command, dirty):
    PIPELINE.startup(command, dirty)


@event_priority(CONFIG_BEFORE_PLUGIN)
@_plain_errors
def on_config(config):
    return PIPELINE.config(config)


@_plain_errors
def on_files(files, config):
    return PIPELINE.files(files)


@event_priority(MARKDOWN_BEFORE_PLUGIN)
@_plain_errors
def _markdown_before_bibtex(markdown, page, config, files):
    return PIPELINE.markdown(markdown, page)


@event_priority(MARKDOWN_AFTER_PLUGIN)
@_plain_errors
def _markdown_after_bibtex(markdown, page, config, files):
    return PIPELINE.cited_markdown(markdown, page)


on_page_markdown = CombinedEvent(_markdown_before_bibtex, _markdown_after_bibtex)


def on_page_read_source(page, config):
    return PIPELINE.page_source(page)


@_plain_errors
def on_page_content(html, page, config, files):
    return PIPELINE.content(html, page)


@_plain_errors
def on_page_context(context, page, config, nav):
    return PIPELINE.context(context, page)


@_plain_errors
def on_env(env, config, files):
    return PIPELINE.env(env)


@event_priority(-1000)
@_plain_errors
def on_post_build(config):
    PIPELINE.post_build(config)


def on_build_error(error):
    PIPELINE.build_error()


def on_serve(server, config, builder):
    return PIPELINE.serve(server)
