"""Render Markdown with one tree step of the site (as the pipeline runs it inside Python-Markdown)."""

from __future__ import annotations

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from backpain_site.kernel.tree import CITED


def render_with(text: str, step, priority: float = CITED, extensions=("footnotes", "md_in_html", "attr_list")) -> str:
    """`text` as HTML, with step(root) run on the page's tree at `priority` (default: cited_tree's)."""

    class Step(Treeprocessor):
        def run(self, root):
            step(root)

    class StepExtension(Extension):
        def extendMarkdown(self, md):  # noqa: N802
            md.treeprocessors.register(Step(md), "test_step", priority)

    return markdown.markdown(text, extensions=[*extensions, StepExtension()])
