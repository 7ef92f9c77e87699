"""Every page has a description, so a link pasted into a messaging app shows a meaningful card.

The description comes from the page's front matter (`description:`) and feeds the page's meta
description (Material's template) and its Open Graph / Twitter tags
(overrides/partials/link-preview.html). A page without one, or with one that is not a single line
of text, stops the build with file:line, every page at once. A straight double quote is refused
too: Material writes the description into an HTML attribute without escaping it.
"""

from __future__ import annotations

from backpain_site.kernel import BuildError
from backpain_site.kernel.front_matter import located


def description_problem(meta: dict) -> str | None:
    """What is wrong with the page's `description:` (None when it is fine)."""
    value = meta.get("description")
    if value is None:
        return "missing: every page needs a one-line summary for its link preview and search results"
    if not isinstance(value, str):
        return f"must be one line of text, not {value!r}"
    if not value.strip():
        return "is empty: write a one-line summary for the page's link preview"
    if "\n" in value.strip():
        return "must be one line"
    if '"' in value:
        return 'contains a straight double quote ("), which would cut the preview short; use “ ” instead'
    return None


class LinkPreviews:
    name = "link-previews"

    def __init__(self):
        self.problems: list[str] = []

    def markdown(self, build, page, markdown: str) -> str:
        if page.file.abs_src_path is None:  # generated (a share handout): no front matter to point at
            return markdown
        problem = description_problem(page.meta)
        if problem:
            source = build.project.pages.get(page.file.src_uri)
            self.problems.append(
                source.located("description", problem)
                if source is not None
                else located(page.file.abs_src_path, "description", problem, base=build.root)
            )
        return markdown

    def env(self, build):
        # After every page's Markdown has been read: one message with every page that lacks a description.
        if self.problems:
            raise BuildError("Link previews:\n" + "\n".join(self.problems))
