"""Each page is edited once, as a tree: the features' page steps run inside Python-Markdown, on the
element tree of the page being rendered, instead of as string rewrites of its HTML afterwards.

The pipeline adds one extension (PageTree) to the Markdown configuration at every build. Its two tree
processors call, feature by feature in FEATURES order:

    cited_tree(build, page, root, md)    priority 12: after footnotes (50), the inline patterns (20)
                                         and footnote-duplicate (15), so every citation and reference
                                         list exists; before attr_list (8) and abbr (7), so the glossary
                                         also marks words these steps add (the evidence badges)
    headed_tree(build, page, root, md)   priority 5, after toc (registered before this extension):
                                         every heading has its id and permalink; before MkDocs
                                         collects the page's anchors, so anchors added here count
                                         when MkDocs validates links
    finished_tree(build, page, root, md) priority -10, last: MkDocs has rewritten the links to other
                                         pages; for a step that lifts a finished part out of the page

Raw HTML a step adds goes through `md.htmlStash` (Python-Markdown puts it back after serialising).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

CITED, HEADED, FINISHED = 12, 5, -10


class _Steps(Treeprocessor):
    def __init__(self, md: Markdown, build: Any, method: str) -> None:
        super().__init__(md)
        self.build, self.method = build, method

    def run(self, root: Element) -> None:
        page = self.build.page
        if page is None:  # Markdown rendered outside a page (a theme's or plugin's snippet)
            return
        for step in self.build.each(self.method):
            step(self.build, page, root, self.md)


class PageTree(Extension):
    def __init__(self, build: Any) -> None:
        super().__init__()
        self.build = build

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_Steps(md, self.build, "cited_tree"), "site_cited", CITED)
        md.treeprocessors.register(_Steps(md, self.build, "headed_tree"), "site_headed", HEADED)
        md.treeprocessors.register(_Steps(md, self.build, "finished_tree"), "site_finished", FINISHED)
