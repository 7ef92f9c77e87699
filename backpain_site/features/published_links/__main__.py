"""`python -m backpain_site.features.published_links add` (`make links`): add the site's new pages and sections to the list.

Builds the site strictly into a temporary folder, adds every page and section id it publishes that
data/published-links.txt lacks (never removes or reorders a line: removing a published link is a
deliberate edit by hand), then checks every listed link still lands. `check` only checks.
Exit code 1 when a listed link is broken or the build fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .contract import LINKS_FILE, add_links, broken_links, parse, read_site, unlisted_links

HEADER = """\
# Every link this site has published: pages and their sections (path after the site's address).
# Clinicians send these to patients; each must keep landing on its page and section for years.
# tests/features/published_links/test_published_links.py fails when one no longer resolves (directly or through a redirect).
# Add new pages and sections with `make links`; it never removes a line. Removing a link is a
# deliberate edit by hand, only for a section that is gone and has nowhere to point.
"""


def build(project: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backpain_site.features.published_links", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "command", choices=["add", "check"], help="add: add new pages and sections, then check; check: only check"
    )
    parser.add_argument("--project", type=Path, default=Path("."), help="the folder holding mkdocs.yml")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    args = parser.parse_args(argv)

    project = args.project.resolve()
    if not (project / "mkdocs.yml").is_file():
        print(f"{project}: no mkdocs.yml here (run this in the site's folder or give --project)")
        return 2
    links_path = project / LINKS_FILE
    text = links_path.read_text(encoding="utf-8") if links_path.exists() else HEADER

    with tempfile.TemporaryDirectory() as tmp:
        site_dir = args.site
        if site_dir is None:
            site_dir = Path(tmp) / "site"
            result = build(project, site_dir)
            if result.returncode != 0:
                print(result.stdout + result.stderr)
                print("The site does not build; fix that first.")
                return 1
        site = read_site(site_dir)

    entries, problems = parse(text, str(LINKS_FILE))
    if problems:
        print("\n".join(map(str, problems)))
        return 1
    if args.command == "add":
        text, added = add_links(text, site.links())
        if added:
            links_path.parent.mkdir(parents=True, exist_ok=True)
            links_path.write_text(text, encoding="utf-8")
        print(f"Added {len(added)} links to {LINKS_FILE}" + (":\n  " + "\n  ".join(added) if added else "."))
        entries, _ = parse(text, str(LINKS_FILE))
    else:
        missing = unlisted_links(entries, site)
        if missing:
            print(f"Not yet in {LINKS_FILE} (run `make links`):\n  " + "\n  ".join(missing))
    broken = broken_links(entries, site, str(LINKS_FILE))
    if broken:
        print("Published links that no longer land:\n" + "\n".join(map(str, broken)))
        return 1
    print(f"All {len(entries)} published links land on their page and section.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
