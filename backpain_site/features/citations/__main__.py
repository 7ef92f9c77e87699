"""`python -m backpain_site.features.citations check`: check references.bib and every citation without building the site.

Prints the same messages as the build; exit code 1 when there is an error. When the site uses
the review-dates feature (backpain_site/features/trust/stamps.py, in the pipeline backpain_site/hook.py runs), it also checks each page's authorship and review dates, and a page whose
next_review has passed is an error here (the build only warns).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from backpain_site.kernel.clock import BadToday, today
from backpain_site.kernel.project import Project

from .bibtex_plugin import bib_paths_from, plugin_of
from .project import SNIPPET_DIRS, check_project
from .review import review_pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backpain_site.features.citations", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("check", help="check references.bib and the citations in the Markdown pages")
    run.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml")
    run.add_argument("--all", action="store_true", help="list every warning, not the first ten of each kind")
    args = parser.parse_args(argv)

    config_file = Path(args.config_file)
    if not config_file.is_file():
        print(f"{config_file}: not found (run this in the site's folder or give -f path/to/mkdocs.yml)")
        return 2
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        config = load_config(str(config_file))
    except ConfigurationError as err:
        print(f"{config_file}: {err}")
        return 2
    plugin = plugin_of(config)
    if plugin is None:
        print(f"{config_file}: the bibtex plugin is not configured")
        return 2
    root = config_file.resolve().parent
    bibs = bib_paths_from(plugin.config, root)
    project = Project(root, Path(config.docs_dir))  # every page read once, as a build reads them
    report = check_project(
        root, bibs, [Path(config.docs_dir)] + [root / d for d in SNIPPET_DIRS], project.sources(), config_file
    )
    page_errors, reviews = [], []
    if reviews_dates(config):
        try:
            reviews = review_pages(Path(config.docs_dir), root, today(), list(project.pages.values()))
        except BadToday as err:
            print(err)
            return 2
        for review in reviews:
            page_errors += review.errors + ([review.overdue] if review.overdue else [])

    if report.errors or page_errors:
        print("\n".join(filter(None, [report.error_text() if report.errors else "", *page_errors])))
    warnings = report.warning_text(limit=None if args.all else 10)
    if warnings:
        print(("\n" if report.errors or page_errors else "") + "Warnings (the site still builds):\n" + warnings)
    cited = len(report.cited)
    print(
        f"\nChecked {len(report.entries)} entries in {', '.join(str(b.relative_to(root)) for b in bibs)}; "
        f"{cited} cited."
        + (f" Authorship and review dates of {len(reviews)} pages checked." if reviews else "")
        + f" {len(set(report.errors)) + len(page_errors)} errors."
    )
    return 1 if report.errors or page_errors else 0


def reviews_dates(config) -> bool:
    """Whether the site's build checks review dates (the pipeline runs its review-dates feature)."""
    from backpain_site.feature_list import FEATURES
    from backpain_site.kernel import BuildError
    from backpain_site.kernel.pipeline import chosen_features

    if not any(Path(hook).as_posix().endswith("backpain_site/hook.py") for hook in config.hooks):
        return False
    try:
        return "review-dates" in [feature.name for feature in chosen_features(config, FEATURES)]
    except BuildError:
        return True  # the build itself reports the bad feature list


if __name__ == "__main__":
    sys.exit(main())
