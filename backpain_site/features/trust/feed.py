"""The Atom feed (RFC 4287) of the site's changes and corrections: feed.xml at the site's root.

Built from the same entries as the Changes and corrections page, newest first. Every date is the
change's own date (midnight UTC), so the feed only changes when an entry does, not at each build.
Each entry's id is the address of its line on the Changes page (`…/changes/#change-2026-12-02-…`):
unique, and stable as long as the site's address is; its link goes to the page and section changed.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    id: str  # absolute URL, unique and permanent
    title: str
    link: str  # absolute URL of the page (and #section) that changed
    date: dt.date
    kind: str  # correction | update | new (an Atom category)
    text: str  # plain text


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    self_url: str,
    page_url: str,
    author: str,
    entries: list[FeedEntry],
    updated: dt.date,
) -> str:
    """The feed document as text (UTF-8 XML); ElementTree escapes every value."""
    ET.register_namespace("", ATOM)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    sub(feed, "id", feed_id)
    sub(feed, "title", title)
    sub(feed, "subtitle", subtitle)
    sub(feed, "updated", timestamp(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    sub(sub(feed, "author"), "name", author)
    for entry in entries:
        item = sub(feed, "entry")
        sub(item, "id", entry.id)
        sub(item, "title", entry.title)
        sub(item, "updated", timestamp(entry.date))
        sub(item, "published", timestamp(entry.date))
        sub(item, "link", rel="alternate", type="text/html", href=entry.link)
        sub(item, "category", term=entry.kind)
        sub(item, "content", entry.text, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
