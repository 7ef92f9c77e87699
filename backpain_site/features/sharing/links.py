"""A "Copy link" button after every H2 of a content page, carrying the section's full public URL.

The URL (site_url + page path + #id) is known at build time, so it is written into the button's
data-url and the script (docs/assets/share.js) copies exactly that, whatever address the page was
opened at. It goes in on the page's tree (the feature's headed_tree step, after toc has given every heading
its id and permalink). The button is a sibling after the heading, not inside it: the heading's accessible
name and its own ¶ permalink stay as they were. Buttons ship `hidden`; the script shows them, so
without JavaScript there is nothing that cannot work. The markup is overrides/partials/section-link.html.
"""

from __future__ import annotations

from backpain_site.kernel.html_tree import element_text

from .sections import section_url


def add_copy_buttons(root, site_url: str, page_path: str, render, md) -> None:
    """After each `<h2 id=...>` in the page's tree, render(url=..., heading=...) as raw HTML."""
    for heading in root.iter("h2"):
        section = heading.get("id")
        if not section:
            continue
        words = element_text(heading, md, skip=lambda el: el.get("class") == "headerlink")
        button = md.htmlStash.store(render(url=section_url(site_url, page_path, section), heading=words))
        heading.tail = button + (heading.tail or "")
