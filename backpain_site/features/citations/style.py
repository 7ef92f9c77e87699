"""How a reference reads: pybtex's plain style, with authors shortened for phone screens.

mkdocs-bibtex (pybtex mode) formats every entry with pybtex's "plain" style, which lists every
author in full: a 16-author trial fills a phone screen. This keeps the plain style and shortens
the author list the way medical references do: up to three authors, then "et al.", with
initials ("C. Neason, C. L. Samanna, S. D. Tagliaferri, et al.").
"""

from __future__ import annotations

import re

from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    href,
    join,
    node,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)

MAX_AUTHORS = 3


@node
def short_names(children, context, role, **kwargs):
    """Like pybtex's `names`, but at most MAX_AUTHORS names and then "et al."."""
    if children:
        raise ValueError(children)
    try:
        persons = context["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, context["entry"]) from None
    style = context["style"]
    others = len(persons) > 1 and str(persons[-1]) == "others"  # "and others": et al., as BibTeX does
    if others:
        persons = persons[:-1]
    formatted = [style.format_name(person, style.abbreviate_names) for person in persons[:MAX_AUTHORS]]
    if len(persons) > MAX_AUTHORS or others:
        sep = " " if len(formatted) == 1 else ", "  # "A. Smith et al.", "A. Smith, B. Jones, et al."
        return join(sep=sep)[formatted + [Text("et al.")]].format_data(context)
    return join(**kwargs)[formatted].format_data(context)


class ReaderStyle(PlainStyle):
    """pybtex's plain style with initials and at most three authors; titles as written.

    The plain style lower-cases titles ("MRI" -> "mri") unless every capital is protected by
    braces, which exports rarely do: titles here keep the capitals they were written with.
    Entries reach it already mapped from BibLaTeX (backpain_site/features/citations/biblatex.py), so its BibTeX
    templates serve @online, @report, @thesis, @collection ... as well.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("abbreviate_names", True)
        super().__init__(**kwargs)

    def format_names(self, role, as_sentence=True):
        formatted = short_names(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted

    def format_title(self, e, which_field, as_sentence=True):
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title

    def format_web_refs(self, e):
        return sentence[
            optional[self.format_url(e), optional[" (accessed ", field("urldate"), ")"]],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]

    def format_url(self, e):
        url = field("url", raw=True)
        return words["URL:", href(url)[url]]

    # BibLaTeX does not require a publisher for a book, nor a note for unpublished work, and a
    # book may be known by its title alone (a collection with no editor named).
    def get_book_template(self, e):
        return toplevel[
            optional[self.format_author_or_editor(e)],
            self.format_btitle(e, "title"),
            self.format_volume_and_series(e),
            sentence[
                optional_field("publisher"),
                optional_field("address"),
                self.format_edition(e),
                date,
            ],
            optional[sentence[self.format_isbn(e)]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_unpublished_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[optional_field("note"), optional[date]],
            self.format_web_refs(e),
        ]

    def format_edition(self, e):
        """A numeric edition reads "2nd edition"; a written one ("Version 2.3") stays as written."""
        edition = e.fields.get("edition", "")
        if re.fullmatch(r"\s*\d+(st|nd|rd|th)\s*", edition):
            return optional[words[field("edition"), "edition"]]
        return optional[field("edition")]

    def get_article_template(self, e):
        """pybtex's article, which drops a volume given without pages ("15, 1975" reads right)."""
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            optional[join[field("volume"), optional["(", field("number"), ")"]]],
            words["pages", pages],
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages], date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]
