"""Renamed section ids keep working: the old id becomes an empty anchor inside the renamed heading.

data/renamed-sections.yml maps, per page (its Markdown file under docs/), old id -> new id:

    how-common.md:
      in-runners: runners-and-back-pain

backpain_site/features/published_links/build.py then turns ``<h2 id="runners-and-back-pain">`` (in the page's tree) into
``<h2 id="runners-and-back-pain"><span id="in-runners"></span>…``, so a link sent years ago with
``#in-runners`` still lands on the heading (at the same place as its new id: the anchor is the
heading's first child, and Material's `:target` scroll margin applies to it as to a heading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import yaml

from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import line_of
from backpain_site.kernel.yaml_nodes import read as read_yaml

ID = re.compile(r"^[A-Za-z][\w-]*$")


@dataclass(frozen=True)
class Rename:
    page: str  # Markdown source path relative to docs/, e.g. "mechanisms/discs.md"
    old: str
    new: str
    line: int
    page_line: int = 0  # the line naming the page


def parse_renames(text: str, source: str) -> tuple[list[Rename], list[Problem]]:
    """The renames in the YAML text, and a Problem (at its line) for everything that is not one."""
    root, bad = read_yaml(text, source)
    if bad:
        return [], [bad]
    if root is None:
        return [], []
    if not isinstance(root, yaml.MappingNode):
        return [], [Problem(source, line_of(root), "write one page per line, e.g. 'how-common.md:'")]
    renames: list[Rename] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for page_node, ids_node in root.value:
        page, page_line = page_node.value, page_node.start_mark.line + 1
        if not isinstance(page_node, yaml.ScalarNode) or not str(page).endswith(".md"):
            problems.append(
                Problem(source, page_line, f"{page!r} is not a page: write its Markdown file, e.g. 'how-common.md'")
            )
            continue
        if isinstance(ids_node, yaml.ScalarNode) and ids_node.value in ("", "~", "null"):
            continue
        if not isinstance(ids_node, yaml.MappingNode):
            problems.append(Problem(source, page_line, f"under {page} write 'old-id: new-id', one per line"))
            continue
        for old_node, new_node in ids_node.value:
            line = old_node.start_mark.line + 1
            old, new = str(old_node.value), str(new_node.value)
            if not isinstance(old_node, yaml.ScalarNode) or not isinstance(new_node, yaml.ScalarNode):
                problems.append(Problem(source, line, "write 'old-id: new-id'"))
            elif not ID.match(old) or not ID.match(new):
                problems.append(
                    Problem(source, line, f"{old!r}: {new!r} is not 'old-id: new-id' (ids are letters, digits and -)")
                )
            elif old == new:
                problems.append(Problem(source, line, f"{old!r} is renamed to itself"))
            elif (page, old) in seen:
                problems.append(Problem(source, line, f"{page}: {old!r} is already renamed on line {seen[page, old]}"))
            else:
                seen[page, old] = line
                renames.append(Rename(page, old, new, line, page_line))
    return renames, problems


def add_old_anchors(root, renames: list[Rename], source: str, other_ids=()) -> list[Problem]:
    """An empty anchor per old id inside its heading, in the page's tree (xml.etree, changed in place);
    problems for ids that don't fit. `other_ids` are ids in raw HTML, outside the tree.

    A chain (a -> b, b -> c) works: each old id is placed in the heading that now carries its new id,
    or after the anchor that does.
    """
    problems: list[Problem] = []
    existing = {el.get("id") for el in root.iter() if el.get("id")} | set(other_ids)
    pending = list(renames)
    progress = True
    while pending and progress:  # resolve chains: the target of one rename may be another's old id
        progress = False
        for rename in list(pending):
            if rename.old in existing:
                problems.append(
                    Problem(
                        source,
                        rename.line,
                        f"{rename.page}: {rename.old} -> {rename.new}: the page still has an element with id "
                        f'"{rename.old}"; remove this line or give the section its new id',
                    )
                )
                pending.remove(rename)
                continue
            if _place(root, rename):
                existing.add(rename.old)
                pending.remove(rename)
                progress = True
    for rename in pending:
        problems.append(
            Problem(
                source,
                rename.line,
                f'{rename.page}: {rename.old} -> {rename.new}: the page has no heading with id "{rename.new}"',
            )
        )
    return problems


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _place(root, rename: Rename) -> bool:
    anchor = Element("span", {"id": rename.old, "class": "renamed-section"})
    for parent in root.iter():
        for index, child in enumerate(parent):
            if child.get("id") != rename.new:
                continue
            if child.tag in HEADINGS:  # first thing inside the heading, before its words
                anchor.tail, child.text = child.text, None
                child.insert(0, anchor)
                return True
            if child.tag == "span" and child.get("class") == "renamed-section":  # a chain: after that anchor
                anchor.tail, child.tail = child.tail, None
                parent.insert(index + 1, anchor)
                return True
    return False
