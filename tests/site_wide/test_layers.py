"""The package's layers (issue 20): the kernel imports no feature, and a feature reaches another only
through that feature's front door (its package `__init__`), never its internals.

Read from the source with `ast`, every import statement, including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "backpain_site"
KERNEL = PACKAGE / "kernel"
FEATURES = PACKAGE / "features"

# Feature-to-feature imports of internals that exist today. Each is a debt with its reason; the test
# fails on any new one, and on an entry here that is no longer needed (so the list only shrinks).
KNOWN_INTERNAL_IMPORTS: set[tuple[str, str]] = {
    # Review dates: the checks and the stamp's date words live in citations/review.py and are shared
    # by the review stamp (trust) and the share handouts; they go with the one
    # clock and date formatter (issue 20 item 2, backpain_site/kernel/clock.py).
    ("backpain_site/features/sharing/build.py", "backpain_site.features.trust.stamps"),
    ("backpain_site/features/trust/build.py", "backpain_site.features.citations.review"),
    ("backpain_site/features/trust/stamps.py", "backpain_site.features.citations.review"),
}


def imported_modules(path: Path) -> list[str]:
    """Absolute module names a file imports (relative imports resolved against its package)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if path.name == "__init__.py":
        module = module.removesuffix(".__init__")
        package = module
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["backpain_site", "features"] else None


def test_the_kernel_imports_no_feature_and_not_the_feature_list():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted(KERNEL.rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(("backpain_site.features", "backpain_site.feature_list", "backpain_site.hook"))
    ]
    assert not offenders, "the kernel must not import features:\n" + "\n".join(offenders)


def module_of(name: str) -> str:
    """The module a dotted import name lives in: `...citations.project.load_bib` -> `...citations.project`."""
    parts = name.split(".")
    while len(parts) > 1:
        here = ROOT.joinpath(*parts)
        if here.with_suffix(".py").exists() or (here / "__init__.py").exists():
            break
        parts.pop()
    return ".".join(parts)


def test_features_reach_each_other_only_through_a_package_front_door():
    found = set()
    for path in sorted(FEATURES.rglob("*.py")):
        own = feature_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for name in imported_modules(path):
            module = module_of(name)
            other = feature_of(module)
            if other and other != own and module != f"backpain_site.features.{other}":
                found.add((str(path.relative_to(ROOT)), module))
    new = sorted(found - KNOWN_INTERNAL_IMPORTS)
    assert not new, "a feature imports another feature's internals:\n" + "\n".join(f"{a}: {b}" for a, b in new)
    gone = sorted(KNOWN_INTERNAL_IMPORTS - found)
    assert not gone, "no longer needed, remove from KNOWN_INTERNAL_IMPORTS:\n" + "\n".join(map(str, gone))


def test_nothing_importable_is_left_loose_at_the_root():
    loose = sorted(
        p.name for p in ROOT.iterdir() if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py")
    )
    assert loose == [] or loose == ["backpain_site"], loose


def test_no_test_module_imports_another():
    """Shared test helpers live in tests/helpers.py (and fixtures in conftest.py files), never in a test
    module: no test module, in any folder under tests/, imports another."""
    tests = ROOT / "tests"
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted(tests.rglob("test_*.py"))
        for name in imported_modules(path)
        if name.split(".")[-1].startswith("test_") or name.startswith(("test_", "tests.test_"))
    ]
    assert not offenders, "\n".join(offenders)


def test_the_tests_are_laid_out_like_the_package():
    """A module's tests sit where the module is: tests/kernel/, tests/features/<name>/ (one folder per
    feature of backpain_site/features/), tests/site_wide/ for the built site and the project as a whole,
    tests/browser/ for Chromium. Nothing but shared code stays at tests/ top level. Each folder holding
    tests is a package (an empty __init__.py, as tests/browser/ is), so tests/ stays the one folder on
    sys.path (`from conftest import ...` works everywhere) and two folders may hold the same basename."""
    tests = ROOT / "tests"
    loose = sorted(p.name for p in tests.glob("test_*.py"))
    assert not loose, (
        "test modules left at tests/ top level; move each beside the tests of what it checks "
        "(tests/kernel/, tests/features/<name>/, tests/site_wide/, tests/browser/): " + ", ".join(loose)
    )
    homes = {tests / "kernel", tests / "site_wide", tests / "browser"}
    homes |= {tests / "features" / p.name for p in FEATURES.iterdir() if (p / "__init__.py").exists()}
    strays = sorted(str(path.relative_to(ROOT)) for path in tests.rglob("test_*.py") if path.parent not in homes)
    assert not strays, (
        "test modules outside tests/kernel/, tests/features/<feature>/, tests/site_wide/, tests/browser/:\n"
        + "\n".join(strays)
    )
    folders = {path.parent for path in tests.rglob("test_*.py")}
    folders |= {folder.parent for folder in folders if folder.parent != tests}
    missing = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists())
    assert not missing, "test folders without an (empty) __init__.py:\n" + "\n".join(missing)
