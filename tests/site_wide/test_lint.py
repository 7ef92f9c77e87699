"""`make lint` inside `make test`: ruff (format and check) and mypy pass on the tree, with the settings in pyproject.toml,
and each of them fails on a planted finding (so a pass means something)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent


def run(tool: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / tool), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = run("ruff", "check", ".")
    assert result.returncode == 0, "ruff check . (make lint):\n" + result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    result = run("ruff", "format", "--check", ".")
    assert result.returncode == 0, (
        "ruff format --check . (make lint; run `ruff format .`):\n" + result.stdout + result.stderr
    )


def test_mypy_finds_nothing():
    result = run("mypy")
    assert result.returncode == 0, "mypy (make lint):\n" + result.stdout + result.stderr


def _copy_with(tmp_path: Path, relative: str, extra: str) -> Path:
    """The project's lint settings and one module of it, with `extra` appended to that module."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / relative
    target.parent.mkdir(parents=True)
    for package in target.relative_to(tmp_path).parents[:-1]:  # backpain_site/, backpain_site/kernel/, ...
        (tmp_path / package / "__init__.py").touch()
    target.write_text((ROOT / relative).read_text(encoding="utf-8") + extra, encoding="utf-8")
    return target


def test_ruff_fails_on_a_lint_error(tmp_path):
    _copy_with(tmp_path, "backpain_site/kernel/roles.py", "\n\ndef unused():\n    import json\n")
    result = run("ruff", "check", ".", cwd=tmp_path)
    assert result.returncode == 1 and "F401" in result.stdout, result.stdout + result.stderr


def test_ruff_format_fails_on_unformatted_code(tmp_path):
    _copy_with(tmp_path, "backpain_site/kernel/roles.py", "\n\nx = {  'a':1 }\n")
    result = run("ruff", "format", "--check", ".", cwd=tmp_path)
    assert result.returncode == 1 and "roles.py" in result.stdout, result.stdout + result.stderr


def test_ruff_fails_on_unsorted_imports(tmp_path):
    target = _copy_with(tmp_path, "backpain_site/kernel/roles.py", "")
    target.write_text("import sys\nimport json\n\nprint(json, sys)\n", encoding="utf-8")
    result = run("ruff", "check", ".", cwd=tmp_path)
    assert result.returncode == 1 and "I001" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module", sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "backpain_site" / "kernel").glob("*.py"))
)
def test_mypy_fails_on_an_unannotated_kernel_function(tmp_path, module):
    _copy_with(tmp_path, module, "\n\ndef untyped(x):\n    return x\n")
    result = run("mypy", module, cwd=tmp_path)
    assert result.returncode == 1 and "no-untyped-def" in result.stdout, result.stdout + result.stderr


def test_mypy_checks_the_features(tmp_path):
    """`mypy` with no arguments (as `make lint` runs it) type-checks the features, not only the kernel."""
    _copy_with(
        tmp_path,
        "backpain_site/features/glossary/build.py",
        '\n\ndef planted() -> int:\n    return "not a number"\n',
    )
    (tmp_path / "backpain_site" / "kernel").mkdir()
    (tmp_path / "backpain_site" / "kernel" / "__init__.py").touch()
    result = run("mypy", cwd=tmp_path)
    assert result.returncode == 1 and "glossary/build.py" in result.stdout and "return-value" in result.stdout, (
        result.stdout + result.stderr
    )
