"""YAML read as nodes (with line numbers, so every problem can name its line), through libyaml when
PyYAML was built with it (about ten times faster than the pure-Python parser on data/studies.yml).
A file libyaml refuses is read again by the pure-Python parser, whose messages say more ("expected
',' or ']', but got ':'"), so the editor sees the same message either way."""

from __future__ import annotations

import os

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


def _entry(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node | None] | None:
    """(key node, value node) of `key` in a mapping, or in a list of settings such as mkdocs.yml's
    `plugins:` (an item `- key` or `- key: {...}`); None when it is not there."""
    if isinstance(node, yaml.MappingNode):
        return next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value == key:
                return item, None
            found = _entry(item, key) if isinstance(item, yaml.MappingNode) else None
            if found is not None:
                return found
    return None


def key_line(root: yaml.Node | None, keys: tuple[str, ...], default: int = 1) -> int:
    """The 1-based line of a setting, by its path of keys (("extra", "report_problem", "email");
    ("plugins", "bibtex", "bib_file"), through the plugins list), in a document's root node: the line
    of the deepest key found, or `default` when not even the first is there."""
    node, line = root, default
    for key in keys:
        found = _entry(node, key)
        if found is None:
            break
        line, node = line_of(found[0]), found[1]
    return line


def setting_line(config_file: str | os.PathLike[str], keys: tuple[str, ...], default: int = 1) -> int:
    """key_line() in the site's config file as MkDocs read it (its path, config.config_file_path, so a
    site built with `mkdocs build -f other.yml` is named by its own file); `default` when the file
    cannot be read or is not YAML. Read only when a message needs the line."""
    try:
        with open(config_file, encoding="utf-8") as file:
            root = compose(file.read())
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return default
    return key_line(root, keys, default)
