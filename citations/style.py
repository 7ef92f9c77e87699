"""How a reference reads: pybtex's plain style, with authors shortened for phone screens.

mkdocs-bibtex (pybtex mode) formats every entry with pybtex's "plain" style, which lists every
author in full: a 16-author trial fills a phone screen. This keeps the plain style and shortens
the author list the way medical references do: up to three authors, then "et al.", with
initials ("C. Neason, C. L. Samanna, S. D. Tagliaferri, et al.").
"""
from __future__ import annotations

from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import FieldIsMissing, field, href, join, node, optional, sentence, words

MAX_AUTHORS = 3


@node
def short_names(children, context, role, **kwargs):
    """Like pybtex's `names`, but at most MAX_AUTHORS names and then "et al."."""
    if children:
        raise ValueError(children)
    try:
        persons = context["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, context["entry"])
    style = context["style"]
    formatted = [style.format_name(person, style.abbreviate_names) for person in persons[:MAX_AUTHORS]]
    if len(persons) > MAX_AUTHORS:
        return join(sep=", ")[formatted + [Text("et al.")]].format_data(context)
    return join(**kwargs)[formatted].format_data(context)


class ReaderStyle(PlainStyle):
    """pybtex's plain style with initials and at most three authors; titles as written.

    The plain style lower-cases titles ("MRI" -> "mri") unless every capital is protected by
    braces, which exports rarely do: titles here keep the capitals they were written with.
    Entries reach it already mapped from BibLaTeX (citations/biblatex.py), so its BibTeX
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
