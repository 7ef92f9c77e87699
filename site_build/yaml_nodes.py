"""YAML read as nodes (with line numbers, so every problem can name its line), through libyaml when
PyYAML was built with it (about ten times faster than the pure-Python parser on data/studies.yml)."""
from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str):
    """The document's root node (None for an empty document); raises yaml.YAMLError with a problem_mark."""
    return yaml.compose(text, Loader=LOADER)
