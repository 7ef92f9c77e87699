"""YAML read as nodes (with line numbers, so every problem can name its line), through libyaml when
PyYAML was built with it (about ten times faster than the pure-Python parser on data/studies.yml).
A file libyaml refuses is read again by the pure-Python parser, whose messages say more ("expected
',' or ']', but got ':'"), so the editor sees the same message either way."""

from __future__ import annotations

import yaml

from backpain_site.kernel.problems import Problem

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> yaml.Node | None:
    """The document's root node (None for an empty document); raises yaml.YAMLError with a problem_mark."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)  # raises, with the clearer message


def read(text: str, file: str) -> tuple[yaml.Node | None, Problem | None]:
    """The one way a data file is read: (root node, None), or (None, its "not valid YAML" Problem)."""
    try:
        return compose(text), None
    except yaml.YAMLError as error:
        return None, yaml_problem(error, file)


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    line: int = node.start_mark.line  # PyYAML's stubs type a node's marks as Any
    return line + 1


def yaml_problem(error: yaml.YAMLError, file: str, first_line: int = 1) -> Problem:
    """The one wording of a file libyaml cannot read, at its line (`first_line`: the file's line where
    the YAML starts, 2 for a page's front matter):
    'data/studies.yml:22: not valid YAML: expected <block end>, but found '-' (while parsing a block
    mapping, which starts on line 20)'."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return Problem(file, 0, f"not valid YAML: {error}")
    mark = error.problem_mark or error.context_mark
    line = mark.line + first_line if mark else 0
    message = f"not valid YAML: {error.problem or error.context}"
    if (
        error.problem
        and error.context
        and error.context_mark
        and (mark is None or error.context_mark.line != mark.line)
    ):
        message += f" ({error.context}, which starts on line {error.context_mark.line + first_line})"
    return Problem(file, line, message)
