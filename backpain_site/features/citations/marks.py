"""Lighter citation markup, on the page's tree once Python-Markdown has made the citations footnotes
(the citations feature's `cited_tree` step, backpain_site/kernel/tree.py).

* Citation numbers that stand side by side: [1][2][3] reads "1,2,3", not "123". mkdocs-bibtex turns
  `[@a; @b]` into two footnote references with nothing between them, and Python-Markdown renders
  them as touching <sup> elements. CSS can't tell touching elements from ones with text between
  them, so a separator element goes between them.
* A citation is one element: Python-Markdown's `<sup id="fnref:KEY"><a class="footnote-ref" ...>1</a>
  </sup>` becomes `<a id="fnref:KEY" class="footnote-ref" ...>1</a>` (site.css raises the number
  in its chip, as the <sup> did). A phone restyles and lays out every element of the page several
  times as Material's script starts up, so each element costs: on the trial page the <sup>s were
  about 190 of 1,700 (issue 19). The id moves with it, so back-links and deep links still land.
* A reference-list entry is its <li> alone: Python-Markdown puts each footnote's one paragraph in a
  <p> inside the <li> (13 to 22 elements a page); the entry's text goes straight into the <li> (the
  list looks the same: Material gives a footnote's only paragraph no margins). An entry of several
  paragraphs keeps them.
* One back-link per reference-list entry. Python-Markdown gives an entry one "↩" per citation of
  it (46 for the trial on its own page); the first leads back to the first citation and the
  browser's Back button returns to where the reader was. The others only weigh on a phone: on a
  long page they were about 150 of the page's 1,700 elements.
* The reference list stays out of the search index (`data-search-exclude`, Material's search):
  every page's list repeated the References page, and the index is downloaded on every first view.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

SEPARATOR_CLASS = "citation-separator"


def _is_citation(element) -> bool:
    return element.tag in ("sup", "a") and element.get("id", "").startswith("fnref")


def bare_citations(root) -> None:
    """Each citation's <sup id="fnref..."> wrapper gives way to its one link, which takes the id."""
    for parent in root.iter():
        for index, sup in enumerate(list(parent)):
            if sup.tag != "sup" or not sup.get("id", "").startswith("fnref"):
                continue
            links = list(sup)
            if len(links) != 1 or links[0].tag != "a" or (sup.text or "").strip() or (links[0].tail or "").strip():
                continue  # not Python-Markdown's footnote mark: leave it as it is
            link = links[0]
            attrs = {"id": sup.get("id"), **{k: v for k, v in link.attrib.items() if k != "id"}}
            link.attrib.clear()
            link.attrib.update(attrs)
            link.tail = sup.tail
            parent.remove(sup)
            parent.insert(index, link)


def separate_citations(root) -> None:
    """A <sup class="citation-separator">,</sup> between citation numbers with nothing between them."""
    for parent in list(root.iter()):
        children = list(parent)
        touching = [
            right
            for left, right in zip(children, children[1:])
            if _is_citation(left) and _is_citation(right) and not left.tail
        ]
        for right in touching:
            separator = Element("sup", {"class": SEPARATOR_CLASS})
            separator.text = ","
            parent.insert(list(parent).index(right), separator)


def one_back_link(root) -> None:
    """Keep the first back-link of each reference-list entry; keep the lists out of the search index."""
    for div in root.iter("div"):
        if div.get("class") != "footnote":
            continue
        div.set("data-search-exclude", "data-search-exclude")  # written as a bare attribute
        for item in div.iter("li"):
            links = [
                (parent, a)
                for parent in item.iter()
                for a in parent
                if a.tag == "a" and a.get("class") == "footnote-backref"
            ]
            for parent, a in links[1:]:
                parent.remove(a)


def bare_entries(root) -> None:
    """A reference-list entry holding one <p> and nothing else holds the paragraph's content instead."""
    for div in root.iter("div"):
        if div.get("class") != "footnote":
            continue
        for item in div.iter("li"):
            if not item.get("id", "").startswith("fn:") or len(item) != 1 or item[0].tag != "p":
                continue
            paragraph = item[0]
            if (item.text or "").strip() or (paragraph.tail or "").strip() or paragraph.attrib:
                continue
            # The line breaks Python-Markdown would write around the <p> stay (a page's text is unchanged).
            item.remove(paragraph)
            item.text = "\n" + (paragraph.text or "")
            item.extend(list(paragraph))
            if len(item):
                item[-1].tail = (item[-1].tail or "") + "\n"
            else:
                item.text += "\n"


def lighten(root) -> None:
    separate_citations(root)
    bare_citations(root)
    one_back_link(root)
    bare_entries(root)  # after one_back_link: a removed back-link would take the entry's last line break
