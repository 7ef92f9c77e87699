"""Authorship and review dates: check them at every build, and show the review stamp.

backpain_site/features/citations/review.py checks each page's authors, reviewers, published, last_reviewed and
next_review (the editor's `python -m backpain_site.features.citations check` runs the same checks). Here:
  * a missing or invalid field stops the build, every problem listed as file:line;
  * a page whose next_review has passed is logged as a WARNING. The site's builds are strict, so an
    overdue page stops them too, until someone reviews it and moves the dates on; a non-strict
    build goes on. (`python -m backpain_site.features.citations check` always treats it as an error.)
    "Today" is the machine's date unless SITE_TODAY=YYYY-MM-DD fixes it (the test suite does; the
    publish build does not); a malformed SITE_TODAY stops the build with one message.
  * each page's template gets `review_stamp`: "Written by … · Reviewed by …" and "Page last
    reviewed: … · Next review due: …" (overrides/partials/page-stamp.html).
"""
from __future__ import annotations

import os

from backpain_site.features.citations.review import TODAY_VARIABLE, BadToday, long_date, names, review_pages, today
from backpain_site.kernel import BuildError


def stamp(meta: dict) -> dict | None:
    """Who wrote and reviewed the page, and the two dates written out; None when the page has no dates."""
    if not (meta.get("last_reviewed") and meta.get("next_review")):
        return None
    dates = {name: {"iso": str(meta[name]), "text": long_date(meta[name])} for name in ("last_reviewed", "next_review")}
    people = {name: names(meta.get(name) or []) for name in ("authors", "reviewers")}
    return dates | people



class ReviewStamps:
    name = "review-dates"

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
            raise BuildError("\n".join(errors) + "\n(`python -m backpain_site.features.citations check` lists these without building)")
        for review in reviews:
            if review.overdue:
                log.warning(review.overdue)

    def context(self, build, page, context):
        context["review_stamp"] = stamp(page.meta)
