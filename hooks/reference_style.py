"""How a reference reads: pybtex's plain style, with authors shortened for phone screens.

Also how it renders: through citations.render.SafeBackend (field text stays inert text; only
http(s) links are links) and formatted once per entry, not once per citation.

mkdocs-bibtex (pybtex mode) formats every entry with pybtex's "plain" style, which lists every
author in full: a 16-author trial fills a phone screen. This keeps the plain style and shortens
the author list the way medical references do: up to three authors, then "et al.", with
initials ("C. Neason, C. L. Samanna, S. D. Tagliaferri, et al.").
Runs in on_config after the plugin has built its registry (hooks run after plugins).
"""
from __future__ import annotations

from mkdocs.exceptions import PluginError
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import FieldIsMissing, join, node, sentence

from citations.render import SafeBackend, cache_reference_text

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
    """pybtex's plain style with initials and at most three authors."""

    def __init__(self, **kwargs):
        kwargs.setdefault("abbreviate_names", True)
        super().__init__(**kwargs)

    def format_names(self, role, as_sentence=True):
        formatted = short_names(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted


def on_config(config):
    plugin = config.plugins.get("bibtex")
    if plugin is None or getattr(plugin, "registry", None) is None:
        raise PluginError("hooks/reference_style.py needs the bibtex plugin (mkdocs-bibtex) in mkdocs.yml")
    if not hasattr(plugin.registry, "style"):
        raise PluginError("hooks/reference_style.py supports mkdocs-bibtex's pybtex mode only (no csl_file)")
    plugin.registry.style = ReaderStyle()
    plugin.registry.backend = SafeBackend()
    cache_reference_text(plugin.registry)
    return config
