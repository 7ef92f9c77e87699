"""Compare two built site trees (MkDocs and ProperDocs builds of the same sources), ignoring the
differences the generators are known to make; exit 1, naming each file, on any other difference.

    python .ci/compare_sites.py site-mkdocs site-properdocs

Known differences, removed before comparing:
  * <meta name="generator" content="mkdocs-1.6.1, …"> names the generator and its version;
  * sitemap.xml's <lastmod> is the build date (a build across midnight differs);
  * sitemap.xml.gz is compared decompressed (gzip stores a time stamp), with the same rule.
"""

from __future__ import annotations

import difflib
import gzip
import re
import sys
from pathlib import Path

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    if path.suffix == ".html":
        data = GENERATOR.sub(b'<meta name="generator" content="">', data)
    if path.name.startswith("sitemap.xml"):
        data = LASTMOD.sub(b"<lastmod></lastmod>", data)
    return data


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def compare(a: Path, b: Path, context: int = 3) -> list[str]:
    """One message per difference (empty when the trees match apart from the known differences)."""
    found, only_a, only_b = [], files(a), files(b)
    for name in sorted(only_a - only_b):
        found.append(f"{name}: only in {a}")
    for name in sorted(only_b - only_a):
        found.append(f"{name}: only in {b}")
    for name in sorted(only_a & only_b):
        left, right = normalised(a / name), normalised(b / name)
        if left == right:
            continue
        try:
            diff = difflib.unified_diff(
                left.decode().splitlines(),
                right.decode().splitlines(),
                str(a / name),
                str(b / name),
                lineterm="",
                n=context,
            )
            found.append(f"{name}: differs\n" + "\n".join(list(diff)[:40]))
        except UnicodeDecodeError:
            found.append(f"{name}: differs (binary, {len(left)} vs {len(right)} bytes)")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not all(Path(arg).is_dir() for arg in argv):
        print("usage: python .ci/compare_sites.py SITE_A SITE_B (two built site folders)")
        return 2
    a, b = map(Path, argv)
    found = compare(a, b)
    print(
        "\n".join(found)
        if found
        else f"{len(files(a))} files: the two builds match (apart from the generator tag and sitemap dates)."
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
