"""A page's front matter, read once (backpain_site/kernel/project.py keeps the result for the build):
its fields, the line of each, and the lines MkDocs strips from the top, for file:line messages.

One pattern (MkDocs' own, so what is read here is what MkDocs reads as front matter) and one YAML
loader: libyaml when PyYAML has it, the pure-Python parser for a file libyaml refuses (its messages
say more), both with dates kept as text. MkDocs reads dates itself and silently drops the whole front
matter (title included) when one is impossible (2026-02-30); kept as text, a bad date can be named.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from backpain_site.kernel.problems import Problem
from backpain_site.kernel.yaml_nodes import yaml_problem

# MkDocs' own front-matter pattern (mkdocs.utils.meta); it also strips the blank lines after it.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


class _TextDates(yaml.SafeLoader):
    """YAML as MkDocs reads it, except that dates stay text, so a bad one can be named."""


class _FastTextDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml when present
    """The same through libyaml when PyYAML has it (front matter is read for every page, every build)."""


_TextDates.yaml_implicit_resolvers = _FastTextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front_matter_node(body: str, loader_class: type[yaml.SafeLoader]) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(body)
    try:
        node = loader.get_single_node()  # parsed once: the node has the lines, the data is built from it
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, Any] = field(default_factory=dict)  # dates kept as text ("2026-11-29")
    lines: dict[str, int] = field(default_factory=dict)  # line of each top-level field in the file
    problem: Problem | None = None  # the front matter is not valid YAML
    stripped: int = 0  # lines MkDocs removes from the top

    def line(self, name: str) -> int:
        """1-based line of `name:` in the file, or 1 when the field is not there."""
        return self.lines.get(name, 1)


def read(text: str, file: str = "") -> FrontMatter:
    """The leading YAML front matter of a page's text (`file` names it in a problem)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return FrontMatter()
    rest = text[match.end() :]
    stripped = text[: match.end()].count("\n") + len(rest) - len(rest.lstrip("\n"))
    body = match.group(1)
    try:
        try:
            node, data = _front_matter_node(body, _FastTextDates)
        except yaml.YAMLError:  # libyaml refused it: the pure-Python parser says why more clearly
            node, data = _front_matter_node(body, _TextDates)
    except yaml.YAMLError as error:
        bad = yaml_problem(error, file, first_line=2)
        return FrontMatter(problem=Problem.front_matter(file, bad.line or 1, None, bad.message), stripped=stripped)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return FrontMatter(stripped=stripped)
    lines = {key.value: key.start_mark.line + 2 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return FrontMatter(data, lines, None, stripped)


def blanked(text: str) -> str:
    """The page with its front matter replaced by blank lines (every line keeps its number)."""
    return FRONT_MATTER.sub(lambda m: "\n" * m.group(0).count("\n"), text, count=1)


def field_line(text: str, field: str) -> int:
    """1-based line of `field:` inside the leading YAML front matter, or 1 if it is not there."""
    return read(text).line(field)


def located(path: str | Path, field: str, problem: str, base: str | Path | None = None) -> str:
    """'docs/x.md:3: front matter field "help_box": must be true or false' (outside a build: a build
    asks its project index, backpain_site/kernel/project.py, which has read the page already).

    `path` is read to find the line; it is shown relative to `base` (the project folder) when given.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        text = ""
    shown = os.path.relpath(path, base) if base else str(path)
    return str(Problem.front_matter(shown, field_line(text, field), field, problem))


def front_matter_lines(source: str) -> int:
    """How many lines MkDocs removes from the top of a page before hooks see its Markdown."""
    return read(source).stripped
