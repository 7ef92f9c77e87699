"""What each page is, declared once. Every feature asks here instead of keeping its own list.

    content     a page a clinician may send: copy-link buttons on its sections, share cards and a
                printable handout on the Share page, "What changed on this page"
    short_cards ends with the short "When to get help" cards (a page's front matter may still say
                `help_box: false`)
    full_cards  shows every care card in full where it writes <!-- care-card: LEVEL -->
    reading     the reading gate it is held to: "simple" (the pages a worried patient reads first),
                "default", or None (not measured: no patient prose)
    requires    shortcodes the page must contain (its reason to exist)

A page not in ROLES is a content page held to the default gate. Pages under share/ (the Share page and
the generated handouts) are never content pages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

HELP_PAGE = "when-to-get-help.md"
GLOSSARY_PAGE = "glossary.md"
CHANGES_PAGE = "changes.md"
REFERENCES_PAGE = "references.md"
HOW_WE_MAKE = "how-we-make.md"  # where the site explains how it words certainty
SHARE_FOLDER = "share/"
SHARE_PAGE = SHARE_FOLDER + "index.md"


@dataclass(frozen=True)
class Role:
    content: bool = True
    short_cards: bool = True
    full_cards: bool = False
    reading: str | None = "default"
    requires: tuple[str, ...] = ()


ROLES: dict[str, Role] = {
    "index.md": Role(reading="simple"),
    "take-home.md": Role(reading="simple"),
    HELP_PAGE: Role(short_cards=False, full_cards=True, reading="simple"),
    REFERENCES_PAGE: Role(content=False, reading=None, requires=("bibliography",)),
    "about.md": Role(content=False),
    GLOSSARY_PAGE: Role(content=False, requires=("glossary",)),
    CHANGES_PAGE: Role(content=False, requires=("changes-list",)),
}
SHARE_ROLE = Role(content=False)


def role_of(src_uri: str) -> Role:
    """The role of a page, by its path under docs/ ("mechanisms/discs.md")."""
    if src_uri.startswith(SHARE_FOLDER):
        return replace(SHARE_ROLE, requires=ROLES.get(src_uri, SHARE_ROLE).requires)
    return ROLES.get(src_uri, Role())


def is_content_page(src_uri: str) -> bool:
    return src_uri.endswith(".md") and role_of(src_uri).content
