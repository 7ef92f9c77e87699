"""Give every citation number a name a screen reader can say: "Reference 3: Maselli 2020".

Python-Markdown renders a citation as `<a class="footnote-ref" href="#fn:KEY">3</a>`, so its
accessible name is just "3". This adds an aria-label naming the work (first author's surname, or
the organisation or title when there is no author, and the year), taken from the entries that
mkdocs-bibtex loaded (`registry.bib_data.entries`). The visible number stays in the name
(WCAG 2.5.3, label in name).
"""

from __future__ import annotations

from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.richtext import Text

# An instance: render_as("text") looks the backend up through importlib.metadata at every call
# (about 10 ms each).
PLAIN_TEXT = TextBackend()

# Fields that name a work when it has no author, best first.
FALLBACK_FIELDS = ("organization", "institution", "publisher", "howpublished", "title")
MAX_TITLE_WORDS = 6


def plain(latex: str) -> str:
    """BibTeX field text without braces and LaTeX accents: "St{\\'e}phane" -> "Stéphane"."""
    text = Text.from_latex(latex).render(PLAIN_TEXT).replace("\ue001", "").replace("\ue002", "")
    return " ".join(text.split())  # (\ue001/\ue002 mark italics: backpain_site/features/citations/latex.py)


def short_title(title: str) -> str:
    words = title.split()
    return " ".join(words[:MAX_TITLE_WORDS]) + ("…" if len(words) > MAX_TITLE_WORDS else "")


def who(entry) -> str | None:
    """The first author's surname (or the organisation written as an author), else None."""
    for role in ("author", "editor"):
        persons = entry.persons.get(role) or []
        if persons:
            person = persons[0]
            return plain(" ".join(person.prelast_names + person.last_names))
    return None


def citation_name(key: str, entry) -> str:
    """'Maselli 2020'; an entry without an author is named by organisation, title or key."""
    if entry is None:
        return key
    name = who(entry)
    if not name:
        for field in FALLBACK_FIELDS:
            if entry.fields.get(field):
                name = plain(entry.fields[field])
                name = short_title(name) if field == "title" else name
                break
    name = name or key
    year = plain(entry.fields.get("year", "")) or "n.d."
    return f"{name} {year}"


def distinct_names(entries) -> dict[str, str]:
    """Every work's name; works that would share one ("Hoegh 2023") add their short title."""
    names = {key: citation_name(key, entry) for key, entry in entries.items()}
    by_name: dict[str, list[str]] = {}
    for key, name in names.items():
        by_name.setdefault(name, []).append(key)
    for name, keys in by_name.items():
        if len(keys) > 1:
            for key in keys:
                title = plain(entries[key].fields.get("title", "")) or key
                names[key] = f"{name}, {short_title(title)}"
    return names


def label_tree(root, entries, names: dict[str, str] | None = None) -> None:
    """Add aria-label="Reference N: Name Year" to every citation link in the page's tree.

    `names` caches each work's name (the help box cites the same works on every page).
    """
    names = {} if names is None else names
    for link in root.iter("a"):
        href = link.get("href", "")
        if link.get("class") != "footnote-ref" or not href.startswith("#fn:"):
            continue
        key = href[len("#fn:") :]
        if key not in names:
            names[key] = citation_name(key, entries.get(key))
        link.set("aria-label", f"Reference {link.text}: {names[key]}")
