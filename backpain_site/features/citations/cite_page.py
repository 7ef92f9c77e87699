"""Cite this page: a formatted citation and a BibTeX entry for each page, Highwire and JSON-LD.

Everything comes from the page's front matter (title, description, authors, reviewers, published,
last_reviewed, next_review; backpain_site/features/citations/review.py checks them) and mkdocs.yml (site_name, site_url,
theme language, and `extra.organisations`: the author/reviewer names that are teams, not people).
Nothing is copied by hand, so a new review date changes every place at once.

The template gets `cite_page`: `text` and `bibtex` for the "Cite this page" block
(overrides/partials/cite-page.html), `highwire` (citation_* meta tags, as Google Scholar reads
them) and `jsonld` (a schema.org MedicalWebPage) for the page head
(overrides/partials/cite-meta.html). Field values are inert: the templates escape the text, and
the JSON-LD is json.dumps output with <, > and & written as \\u escapes, so no front-matter value
can close the <script> element.

The BibTeX entry is written by pybtex's BibTeX writer (the library that reads references.bib):
it writes LaTeX escapes for & % # _ ~ in every field, url included (the site's page addresses have
none of them: tests/features/citations/test_cite_page.py checks each page's url reads back unchanged); `\\ { } $ ^`,
which it leaves as LaTeX markup, are written as text here first (LATEX_MARKUP), so no front-matter
value can unbalance the entry's braces.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace

from pybtex.database import BibliographyData, Entry
from pybtex.database.output.bibtex import Writer

from backpain_site.features.citations.review import names, outside_reviewers
from backpain_site.kernel.clock import long_date

ABOUT = {"@type": "MedicalCondition", "name": "Low back pain"}
# The characters pybtex's writer passes through as LaTeX markup, written so that LaTeX reads them as text
# (it escapes & % # _ ~ itself).
LATEX_MARKUP = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Site:
    name: str
    url: str
    language: str = "en"
    organisations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Page:
    title: str
    description: str
    url: str
    authors: tuple[str, ...]
    reviewers: tuple[str, ...]
    published: dt.date
    last_reviewed: dt.date
    modified: dt.date | None = None  # the latest change recorded in data/changes.yml, or published


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def sentence(text: str) -> str:
    """The text ending in a full stop, unless it already ends in punctuation."""
    return text if text[-1:] in ".?!" else text + "."


def citation_text(page: Page, site: Site) -> str:
    """'Team (2026). Title? Site. Last reviewed 29 November 2026. https://…'"""
    return (
        f"{names(page.authors)} ({page.last_reviewed.year}). {sentence(page.title)} "
        f"{sentence(site.name)} Last reviewed {long_date(page.last_reviewed)}. {page.url}"
    )


def bibtex_text(text: str) -> str:
    return "".join(LATEX_MARKUP.get(char, char) for char in text)


def bibtex_name(name: str, site: Site) -> str:
    """A team in double braces (BibTeX would split "Running and low back pain team" at "and")."""
    return "{" + bibtex_text(name) + "}" if name in site.organisations else bibtex_text(name)


def bibtex_key(page: Page, site: Site) -> str:
    """authorYYYYword, as references.bib keys are: site name, year, page path (letters only)."""
    path = page.url[len(site.url) :] if page.url.startswith(site.url) else page.url
    word = re.sub(r"[^a-z]", "", path.lower()) or "home"
    return f"{re.sub(r'[^a-z]', '', site.name.lower())}{page.last_reviewed.year}{word}"


def bibtex(page: Page, site: Site) -> str:
    """The page as a BibTeX @misc entry, written by pybtex. The authors go in as one `author` field,
    teams braced: pybtex's Person would re-split a name (and drop a "~" in it) on the way out."""
    fields = {
        "author": " and ".join(bibtex_name(name, site) for name in page.authors),
        "title": bibtex_text(page.title),
        "howpublished": bibtex_text(site.name),
        "year": str(page.last_reviewed.year),
        "url": page.url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C"),
        "note": f"Published {long_date(page.published)}; last reviewed {long_date(page.last_reviewed)}",
    }
    entry = Entry("misc", fields=fields)
    # pybtex's BibTeX writer, named directly: `BibliographyData.to_string("bibtex")` looks it up among
    # the installed packages' entry points on every call (about 3 ms a page).
    return Writer().to_string(BibliographyData({bibtex_key(page, site): entry})).strip()


def highwire(page: Page, site: Site) -> list[tuple[str, str]]:
    """citation_* meta tags (Highwire Press, read by Google Scholar and reference managers)."""
    return [
        ("citation_title", page.title),
        *(("citation_author", name) for name in page.authors),
        ("citation_publication_date", page.published.strftime("%Y/%m/%d")),
        ("citation_publisher", site.name),
        ("citation_public_url", page.url),
        ("citation_language", site.language),
    ]


def agent(name: str, site: Site) -> dict:
    return {"@type": "Organization" if name in site.organisations else "Person", "name": name}


def json_ld(page: Page, site: Site) -> str:
    """schema.org MedicalWebPage as JSON that is safe inside <script> (no <, > or & characters)."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "description": page.description,
        "url": page.url,
        "inLanguage": site.language,
        "datePublished": page.published.isoformat(),
        "dateModified": (page.modified or page.published).isoformat(),
        "lastReviewed": page.last_reviewed.isoformat(),
        "about": ABOUT,
        "author": [agent(name, site) for name in page.authors],
        "publisher": {"@type": "Organization", "name": site.name, "url": site.url},
        "isPartOf": {"@type": "WebSite", "name": site.name, "url": site.url},
    }
    # A page checked only by the team that wrote it names no reviewer (review.outside_reviewers).
    reviewers = outside_reviewers(page.authors, page.reviewers)
    if reviewers:
        data["reviewedBy"] = [agent(name, site) for name in reviewers]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def cite_page(page: Page, site: Site) -> dict:
    return {
        "text": citation_text(page, site),
        "bibtex": bibtex(page, site),
        "highwire": highwire(page, site),
        "jsonld": json_ld(page, site),
    }


def page_from(meta: dict, title: str, description: str, url: str) -> Page | None:
    """The page's record, or None when its front matter has no authorship and dates (checked by review_dates)."""
    try:
        return Page(
            title=title,
            description=description,
            url=url,
            authors=tuple(meta["authors"]),
            reviewers=tuple(meta["reviewers"]),
            published=as_date(meta["published"]),
            last_reviewed=as_date(meta["last_reviewed"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


class CiteThisPage:
    """The feature: `cite_page` in every page's template context."""

    name = "cite-page"

    def context(self, build, page, context):
        config = build.config
        url = page.canonical_url or page.abs_url
        record = page_from(
            page.meta,
            page.meta.get("title") or page.title,
            page.meta.get("description") or config.site_description or "",
            url,
        )
        site = Site(
            name=config.site_name,
            url=config.site_url or "/",
            language=config.theme.get("language", "en"),
            organisations=frozenset(config.extra.get("organisations") or ()),
        )
        stamp = context.get("review_stamp") or {}  # trust/stamps.py, with the page's latest change
        if record and stamp.get("modified"):
            record = replace(record, modified=as_date(stamp["modified"]))
        context["cite_page"] = cite_page(record, site) if record else None
