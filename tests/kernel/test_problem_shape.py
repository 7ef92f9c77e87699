"""One shape of "a problem" (issue 20 item 2): a located message is a backpain_site.kernel.problems.Problem
(file, line, message), printed by it as `file:line: message`; no module writes that prefix by hand or
keeps a problem as a (line, text) pair.

Stated mechanically, on the package's syntax trees:
  * no f-string starts with a hand-made location, `f"{file}:{line}: ..."` or `f"{where}:1: ..."`;
  * nothing appends a tuple to a list of problems or errors (`problems.append((line, text))`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "backpain_site"
# Where the one shape is written out.
PROBLEM_TYPE = PACKAGE / "kernel" / "problems.py"
# An f-string's text with each {value} as "{}": a hand-made location starts "{}:{}: " or "{}:12: ".
HAND_MADE_LOCATION = re.compile(r"\{\}:(?:\{\}|\d+)+: ")
PROBLEM_LISTS = re.compile(r"problems?|errors?", re.I)


def template(node: ast.JoinedStr) -> str:
    return "".join(
        part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}" for part in node.values
    )


def appended_to(node: ast.Call) -> str | None:
    """The name of the list `x.append(...)` appends to ('problems' for self.result.problems.append)."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "append"):
        return None
    target = func.value
    return target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else None


def other_shapes(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr) and HAND_MADE_LOCATION.match(template(node)):
            found.append(f"{path.relative_to(root)}:{node.lineno}: a hand-made location, f{template(node)!r}")
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Tuple):
            name = appended_to(node)
            if name and PROBLEM_LISTS.fullmatch(name):
                found.append(f"{path.relative_to(root)}:{node.lineno}: a problem kept as a tuple in {name}")
    return found


def test_problems_have_one_shape():
    modules = sorted(set(PACKAGE.rglob("*.py")) - {PROBLEM_TYPE})
    assert len(modules) > 50
    found = [line for path in modules for line in other_shapes(path)]
    assert not found, "write a located message as a Problem (backpain_site/kernel/problems.py):\n" + "\n".join(found)


def test_the_check_sees_both_other_shapes(tmp_path):
    """The two shapes the rule forbids are found."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        'problems = []\nproblems.append((3, "bad"))\nmessage = f"{where}:{line}: bad"\nother = f"{where}:1: bad"\n'
        'fine = f"{where}: bad"\n',
        encoding="utf-8",
    )
    found = other_shapes(planted, tmp_path)
    assert [line.split(": ", 1)[1].split(",")[0] for line in found] == [
        "a problem kept as a tuple in problems",
        "a hand-made location",
        "a hand-made location",
    ]
