"""Authorship and review dates: check them at every build, and show the review stamp.

backpain_site/features/citations/review.py checks each page's authors, reviewers, published, last_reviewed and
next_review (the editor's `python -m backpain_site.features.citations check` runs the same checks). Here:
  * a missing or invalid field stops the build, every problem listed as file:line;
  * a page whose next_review has passed is logged as a WARNING. The site's builds are strict, so an
    overdue page stops them too, until someone reviews it and moves the dates on; a non-strict
    build goes on. (`python -m backpain_site.features.citations check` always treats it as an error.)
    "Today" is the machine's date unless SITE_TODAY=YYYY-MM-DD fixes it (the test suite does; the
    publish build does not); a malformed SITE_TODAY stops the build with one message.
  * each page's template gets `review_stamp`: "Written by … · Reviewed by …" (a reviewer who is also an
    author is no review: then "No review outside the team yet") and "Page last
    reviewed: … · Next review due: …" (overrides/partials/page-stamp.html), with "Last updated: …"
    between them when data/changes.yml records a change to the page after its last review (the
    page's printable handout and its JSON-LD dateModified take the same dates).
"""

from __future__ import annotations

import datetime as dt
import os

from backpain_site.features.citations.review import names, outside_reviewers, review_pages
from backpain_site.kernel import BuildError
from backpain_site.kernel.clock import TODAY_VARIABLE, BadToday, long_date, today


def _day(value) -> dt.date | None:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def stamp(meta: dict, changed: dt.date | None = None) -> dict | None:
    """Who wrote and reviewed the page, and its dates written out; None when the page has no dates.

    changed: the date of the page's latest entry in data/changes.yml. After last_reviewed, the stamp
    says "Last updated" too (`last_updated`); `modified` (JSON-LD dateModified) is the later of
    published and that date."""
    if not (meta.get("last_reviewed") and meta.get("next_review")):
        return None
    dates = {name: {"iso": str(meta[name]), "text": long_date(meta[name])} for name in ("last_reviewed", "next_review")}
    people = {name: names(meta.get(name) or []) for name in ("authors", "reviewers")}
    # "Reviewed by" names only people outside the writing team; none yet is said plainly.
    people["outside_reviewers"] = names(outside_reviewers(meta.get("authors"), meta.get("reviewers")))
    reviewed, published = _day(meta["last_reviewed"]), _day(meta.get("published"))
    later = changed if changed and reviewed and changed > reviewed else None
    modified = max(filter(None, [published, changed]), default=None)
    return (
        dates
        | people
        | {
            "last_updated": {"iso": later.isoformat(), "text": long_date(later)} if later else None,
            "modified": modified.isoformat() if modified else None,
        }
    )


class ReviewStamps:
    name = "review-dates"

    def __init__(self):
        # page (path under docs/) -> date of its latest entry in data/changes.yml (PageTrust.config fills it)
        self.changed: dict[str, dt.date] = {}

    def stamp_for(self, meta: dict, src_uri: str) -> dict | None:
        """The page's stamp with its latest change (the handouts use it too)."""
        return stamp(meta, self.changed.get(src_uri))

    def config(self, build):
        from mkdocs.plugins import get_plugin_logger

        log = get_plugin_logger("review_dates")
        try:
            day = today()
        except BadToday as err:
            raise BuildError(str(err)) from None
        if os.environ.get(TODAY_VARIABLE):
            log.info(f"review dates checked as of {day.isoformat()} ({TODAY_VARIABLE}), not the machine's date")
        reviews = review_pages(build.docs, build.root, day, list(build.project.pages.values()))
        errors = [error for review in reviews for error in review.errors]
        if errors:
            raise BuildError(
                "\n".join(errors)
                + "\n(`python -m backpain_site.features.citations check` lists these without building)"
            )
        for review in reviews:
            if review.overdue:
                log.warning(review.overdue)

    def context(self, build, page, context):
        context["review_stamp"] = self.stamp_for(page.meta, page.file.src_uri)
