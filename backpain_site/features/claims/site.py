"""Which built pages hold patient prose, and where a docs page is built."""

from __future__ import annotations

from pathlib import Path

# Pages with no patient prose to check, and why. Everything else in docs/ is checked (content pages,
# When to get help, About, the Glossary and the Share page); generated blocks inside a page are left
# out by class (backpain_site/features/claims/prose.py), never by page.
NOT_PROSE = {
    "references.md": "the full reference list: bibliographic entries, not claims",
}


def checked_pages(docs: Path) -> list[str]:
    """Docs-relative paths of the pages whose prose is checked, in a stable order."""
    return sorted(
        p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.relative_to(docs).as_posix() not in NOT_PROSE
    )


def built_page(site: Path, page: str) -> Path:
    """Where MkDocs (directory URLs) writes docs/page: a/b.md -> a/b/index.html, a/index.md -> a/index.html."""
    parts = list(Path(page).with_suffix("").parts)
    if parts[-1] == "index":
        parts = parts[:-1]
    return site.joinpath(*parts, "index.html")
