"""The glossary feature: includes/glossary.md read once per build, given to the abbr extension, and
listed in full where the Glossary page writes <!-- glossary --> (backpain_site/kernel/roles.py requires it there)."""

from __future__ import annotations

from backpain_site.kernel import BuildError

from . import SOURCE, abbreviations, first_uses_only, markdown_glossary, parse_glossary, render_glossary


class Glossary:
    name = "glossary"

    def __init__(self):
        self.terms = []
        self.words: dict[str, str] = {}  # word -> definition (for HTML written outside Markdown)
        self.shortcodes = {"glossary": self.listing}

    def config(self, build):
        if "abbr" not in build.config.markdown_extensions:
            raise BuildError("mkdocs.yml: the glossary needs the abbr extension in markdown_extensions")
        try:
            text = build.project.snippet(SOURCE)
        except OSError as error:
            raise BuildError(f"{SOURCE}: cannot read the glossary: {error.strerror}") from None
        terms, problems = parse_glossary(text)
        if problems:
            raise BuildError("The glossary has problems:\n" + "\n".join(map(str, problems)))
        self.terms = terms
        self.words = abbreviations(terms)
        build.config.mdx_configs.setdefault("abbr", {})["glossary"] = markdown_glossary(terms)

    def headed_tree(self, build, page, root, md) -> None:
        # After abbr (7) has marked every use: only each word's first use in each section stays marked.
        first_uses_only(root, md.htmlStash.rawHtmlBlocks)

    def listing(self, call) -> str:
        return "\n" + render_glossary(self.terms)
