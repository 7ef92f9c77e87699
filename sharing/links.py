"""A "Copy link" button after every H2 of a content page, carrying the section's full public URL.

The URL (site_url + page path + #id) is known at build time, so it is written into the button's
data-url and the script (docs/assets/share.js) copies exactly that, whatever address the page was
opened at. The button is a sibling after the heading, not inside it: the heading's accessible
name and its own ¶ permalink stay as they were. Buttons ship `hidden`; the script shows them, so
without JavaScript there is nothing that cannot work. The markup is overrides/partials/section-link.html.
"""
from __future__ import annotations

import html
import re

from .sections import section_url

HEADING = re.compile(r'<h2 id="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</h2>', re.S)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def heading_text(inner_html: str) -> str:
    """The heading's words: no permalink, no tags, entities decoded."""
    return re.sub(r"\s+", " ", html.unescape(TAG.sub("", PERMALINK.sub("", inner_html)))).strip()


def add_copy_buttons(content: str, site_url: str, page_path: str, render) -> str:
    """Each `<h2 id=...>` followed by render(url=..., heading=...)."""
    def after(match):
        url = section_url(site_url, page_path, html.unescape(match.group("id")))
        return match.group(0) + render(url=url, heading=heading_text(match.group("inner")))
    return HEADING.sub(after, content)
