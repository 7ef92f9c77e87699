"""YAML read as nodes (with line numbers, so every problem can name its line), through libyaml when
PyYAML was built with it (about ten times faster than the pure-Python parser on data/studies.yml).
A file libyaml refuses is read again by the pure-Python parser, whose messages say more ("expected
',' or ']', but got ':'"), so the editor sees the same message either way."""
from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str):
    """The document's root node (None for an empty document); raises yaml.YAMLError with a problem_mark."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)  # raises, with the clearer message
