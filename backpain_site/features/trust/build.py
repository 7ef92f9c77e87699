"""Report a problem, changes and corrections, the feed, the evidence line: the PageTrust feature.

The logic is in backpain_site/features/trust/ (changes.py, feed.py, report.py, searches.py) and
backpain_site/features/citations/review.py (evidence_checked). Here:
  * config: read extra.report_problem (a build for a public site_url refuses a placeholder address at
    a reserved domain, naming its mkdocs.yml line), check every evidence page's evidence_checked,
    data/changes.yml (a change dated after today, on the one clock, or before its page was published
    is an error) and data/searches.yml (file:line for every problem; the build stops); hand each
    page's latest change date to the review stamps (trust/stamps.py: "Last updated");
  * shortcodes: the Changes page's `<!-- changes-list -->` becomes every change, newest first; About's
    `<!-- report-problem: email -->` and `<!-- report-problem: promise -->` become the setting (a
    reply promise only for a real address); How we make this site's `<!-- evidence-searches -->`
    becomes each evidence page's saved search and its runs;
  * markdown: each content page gets "What changed on this page" (its last few changes), lifted out
    of the page's tree (headed_tree) to sit beside its review stamp;
  * env: a change's section must be a heading id on its built page (ids gathered in context);
  * context: every page gets "Report a problem with this page" (overrides/partials/report-problem.html),
    and evidence pages "Evidence checked up to" as far as a screened search reaches, or when their
    sources were last checked and that no search for newer studies has been run;
  * post_build: feed.xml, the Atom feed of the same entries.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from backpain_site.features.care_cards import placed_headings
from backpain_site.features.citations import bib_keys
from backpain_site.features.citations.review import evidence_errors, evidence_stamp
from backpain_site.kernel import BuildError, clock, front_matter
from backpain_site.kernel.clock import long_date, month_text
from backpain_site.kernel.headings import Heading
from backpain_site.kernel.headings import find as find_headings
from backpain_site.kernel.problems import listed
from backpain_site.kernel.project import shown
from backpain_site.kernel.roles import CHANGES_PAGE, is_content_page
from backpain_site.kernel.shortcodes import ShortcodeProblem
from backpain_site.kernel.yaml_nodes import setting_line

from . import changes as changelog
from . import searches as watch
from .feed import FeedEntry, atom_feed
from .report import issue_url, links, public_problem, read_setting
from .stamps import ReviewStamps

PAGE_LIMIT = 3  # changes shown on each page; the Changes page lists them all
FEED_FILE = "feed.xml"
FEED_TITLE = "changes and corrections"


def relative(target: str, page_src: str) -> str:
    """A Markdown link from one docs page to another ('changes.md' from 'mechanisms/discs.md')."""
    return os.path.relpath(target, os.path.dirname(page_src) or ".").replace(os.sep, "/")


def inert(text: str) -> str:
    """Plain text as Markdown that stays plain: no HTML, emphasis, code, links or citations.
    A bare "&" is left to Markdown (it writes &amp; itself), so glossary words such as "A&E" still match."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text.replace("<", "&lt;").replace(">", "&gt;"))


def _cite(change: changelog.Change) -> str:
    return f" [@{change.cite}]" if change.cite else ""


def section_titles(headings: list[Heading]) -> dict[str, str]:
    """{id: heading as plain text} of a page's headings (the project index's, care cards placed included)."""
    return {heading.id: heading.text for heading in sorted(headings, key=lambda h: h.line)}


def _keep_tail(parent, index: int, tail: str | None) -> None:
    """Before an element is removed, its tail (text after it) joins what comes before it."""
    if tail:
        if index == 0:
            parent.text = (parent.text or "") + tail
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + tail


def _ids(tokens) -> set[str]:
    """Every heading id in Python-Markdown's toc tokens (nested)."""
    out = set()
    for token in tokens:
        out.add(token["id"])
        out |= _ids(token.get("children", []))
    return out


SEARCHES_PAGE = "how-we-make.md"  # where `<!-- evidence-searches -->` prints each page's search record


def is_evidence_page(page: str, patterns: list[str]) -> bool:
    rel = Path(page)
    return any(rel.match(pattern) and len(rel.parts) == len(Path(pattern).parts) for pattern in patterns)


def whole_months(day: dt.date) -> tuple[int, int]:
    """The last whole month a search covering up to `day` covers: (2027, 1) for 31 January 2027 and
    for 3 February 2027 alike (a search to 3 February has not covered February)."""
    if (day + dt.timedelta(days=1)).month != day.month:
        return day.year, day.month
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def read_searches(project, pages: set[str], today: dt.date, evidence_pages: list[str]):
    """data/searches.yml's saved searches and its located problems (an evidence page must have one)."""
    if not project.has_data(watch.DATA_FILE):
        if not evidence_pages:
            return [], []
        return [], [
            f"{watch.DATA_FILE}: missing: the evidence pages ({', '.join(evidence_pages)}) need their "
            "saved PubMed searches (see backpain_site/features/trust/searches.py)"
        ]
    try:
        text = project.data_text(watch.DATA_FILE)
    except OSError as error:
        return [], [f"{watch.DATA_FILE}: cannot read the saved searches: {error.strerror}"]
    searches, problems = watch.parse(text, watch.DATA_FILE, pages, today)
    if not problems:
        problems = watch.missing_pages(searches, evidence_pages, watch.DATA_FILE)
    return searches, listed(problems)


def published_dates(project) -> dict[str, dt.date]:
    """{page under docs/: its front matter's published date} (pages without a valid one are left out:
    the review-date check reports them)."""
    out = {}
    for src, source in project.pages.items():
        try:
            out[src] = dt.date.fromisoformat(str(source.front_matter.fields.get("published")))
        except ValueError:
            pass
    return out


class PageTrust:
    name = "trust"

    def __init__(self):
        self.setting = None
        self.build = None
        self.changes: list[changelog.Change] = []
        self.titles: dict[str, str] = {}
        self.sections: dict[str, dict[str, str]] = {}
        self.ids: dict[str, set[str]] = {}
        self.boxes: dict[str, str] = {}
        self.changes_authors = None
        self.searches: dict[str, watch.Search] = {}
        self.shortcodes = {
            "changes-list": self.changes_list,
            "report-problem": self.report_problem,
            "evidence-searches": self.evidence_searches,
        }

    # --- before any page --------------------------------------------------------------------------
    def config(self, build):
        config, root = build.config, build.root
        try:
            today = clock.today()
        except clock.BadToday as error:
            raise BuildError(str(error)) from None
        errors = []
        config_shown = shown(Path(config.config_file_path), root)
        setting, setting_errors = read_setting(config.extra, config_shown)
        errors += setting_errors
        if setting is not None and public_problem(setting, config.site_url, config_shown):
            where = f"{config_shown}:{setting_line(config.config_file_path, ('extra', 'report_problem', 'email'))}"
            errors += filter(None, [public_problem(setting, config.site_url, where)])
        errors += evidence_errors(
            build.docs, root, today, list(config.extra.get("evidence_pages") or []), list(build.project.pages.values())
        )
        pages = build.project.page_names()
        try:
            text = build.project.data_text(changelog.DATA_FILE)
        except OSError as error:
            errors.append(f"{changelog.DATA_FILE}: cannot read the list of changes: {error.strerror}")
            text = None
        entries: list[changelog.Change] = []
        if text is not None:
            keys = bib_keys(build)
            entries, problems = changelog.parse(
                text, changelog.DATA_FILE, pages, keys, today, published=published_dates(build.project)
            )
            errors += listed(problems)
        evidence_pages = sorted(p for p in pages if is_evidence_page(p, list(config.extra.get("evidence_pages") or [])))
        searches, search_errors = read_searches(build.project, pages, today, evidence_pages)
        errors += search_errors
        if errors:
            raise BuildError(
                f"{len(errors)} problem{'s' if len(errors) > 1 else ''} with the changes, "
                "the report setting, evidence dates or searches:\n  " + "\n  ".join(errors)
            )
        self.setting, self.changes, self.build = setting, entries, build
        self.searches = {search.page: search for search in searches}
        stamps = build.get(ReviewStamps)
        if stamps is not None:
            stamps.changed = changelog.latest_by_page(entries)
        # Kept across `mkdocs serve --dirty` rebuilds, which skip unchanged pages.
        self.ids = build.session.cache("trust: section ids", dict)
        self.boxes = build.session.cache("trust: page boxes", dict)
        build.watch(root / "data")

    def files(self, build, files):
        cards = build.feature("care-cards")
        card_titles = {level: card.title for level, card in cards.cards.items()} if cards else {}
        for file in files.documentation_pages():
            source = build.project.pages.get(file.src_uri)
            if source is not None and file.abs_src_path is not None:  # read once, at the start of the build
                body, meta, headings = source.body, source.front_matter.fields, source.headings
            else:  # a page another plugin generated
                body = front_matter.blanked(file.content_string)
                meta = front_matter.read(file.content_string).fields
                headings = find_headings(body, build.project.slugs)
            self.titles[file.src_uri] = meta.get("title") if isinstance(meta.get("title"), str) else file.src_uri
            self.sections[file.src_uri] = section_titles([*headings, *placed_headings(body, card_titles)])
            if file.src_uri == CHANGES_PAGE:
                self.changes_authors = meta.get("authors") if isinstance(meta.get("authors"), list) else None
        return files

    def place_name(self, target: str) -> str:
        """'When to get help – Call 999 or go to A&E' for 'when-to-get-help.md#emergency'.
        From the pages' Markdown (files), so the Changes page can be written before the other pages
        are built; whether the section really is on the built page is checked in env."""
        page, _, section = target.partition("#")
        name = self.titles.get(page, page)
        return f"{name} – {self.sections.get(page, {}).get(section, section)}" if section else name

    # --- shortcodes ---------------------------------------------------------------------------
    def changes_list(self, call) -> str:
        """Every change, newest first: date and kind, the page (and section) as a link, the sentence."""
        if not self.changes:
            return "No changes have been recorded yet."
        out = []
        for change in changelog.newest_first(self.changes):
            link = relative(change.page, call.page or CHANGES_PAGE) + (f"#{change.section}" if change.section else "")
            where = inert(self.place_name(change.target))
            out.append(
                f'<div class="change-entry" id="{change.id}" markdown>\n\n'
                f'<div class="change-meta" markdown="span">**{change.date_text} · {change.kind_label}** · [{where}]({link})</div>\n\n'
                f"{inert(change.text)}{_cite(change)}\n\n</div>\n"
            )
        return "\n".join(out)

    def report_problem(self, call) -> str:
        setting = self.setting
        if call.arg == "email":
            return f"[{setting.email}](mailto:{setting.email})"
        if call.arg == "reply-time":
            if setting.placeholder:
                raise ShortcodeProblem(
                    f"<!-- report-problem: reply-time --> promises a reply, but {setting.email} is a "
                    "placeholder that receives no mail: use <!-- report-problem: promise -->, which "
                    "promises a reply only when reports reach a real address"
                )
            return self._days()
        if call.arg == "promise":
            return self._promise(call)
        raise ShortcodeProblem(f"unknown marker <!-- report-problem: {call.arg} --> (use email, promise or reply-time)")

    def _days(self) -> str:
        # A promise set in mkdocs.yml, not a claim from a study: the claims check skips its class.
        days = f"{self.setting.response_days} day" + ("s" if self.setting.response_days != 1 else "")
        return f'<span class="report-promise">{days}</span>'

    def _promise(self, call) -> str:
        """About's promise: a reply within N days only when reports reach a real address; with a
        placeholder address, that reports are not monitored yet. The GitHub issue form too, with repo_url."""
        setting, repo_url = self.setting, self.build.config.repo_url if self.build else None
        issue = (
            issue_url(repo_url, self.titles.get(call.page, call.page), self.build.config.site_url or "")
            if repo_url
            else None
        )
        if setting.placeholder:
            text = (
                f"**Reports are not monitored yet.** {setting.email} is a placeholder: mail sent to it reaches no one, "
                "so we cannot promise a reply. The site's owner must set a real, monitored address before the site is published."
            )
            if issue:
                text += f"\nUntil then, you can [report a problem on GitHub]({issue}) instead."
            return text
        text = f"Our editorial team reads every report.\nWe aim to reply within {self._days()}."
        if issue:
            text += f"\nYou can also [report a problem on GitHub]({issue})."
        return text + "\nWe check each report against the original source."

    def evidence_searches(self, call) -> str:
        """How we make this site's record of each evidence page's saved search and its runs."""
        return watch.records_markdown(
            list(self.searches.values()), self.titles, lambda page: relative(page, call.page or SEARCHES_PAGE)
        )

    # --- pages --------------------------------------------------------------------------------
    def page_box_markdown(self, entries: list[changelog.Change], page) -> str:
        """'What changed on this page': the page's last few changes, or that none has been recorded.
        Written as <div>s with inline Markdown (md_in_html's markdown="span"), with list roles for screen
        readers: the box is a dated record like the review stamp, not a paragraph of the page's text."""
        src = page.file.src_uri
        lines = [
            '<div class="page-changes" data-readability="skip" markdown="block">',
            '<div class="page-changes__title"><strong>What changed on this page</strong></div>',
        ]
        if entries:
            lines.append('<div role="list" class="page-changes__list" markdown="block">')
            for change in entries:
                where = ""
                if change.section:
                    title = self.sections.get(src, {}).get(change.section, change.section)
                    where = f" ([{inert(title)}](#{change.section}))"
                lines.append(
                    f'<div role="listitem" class="page-changes__entry" markdown="span">'
                    f"**{change.date_text} · {change.kind_label}**{where}: {inert(change.text)}{_cite(change)}</div>"
                )
            lines.append("</div>")
        else:
            published = page.meta.get("published")
            since = (
                f" since this page was published on {long_date(published)}" if isinstance(published, dt.date) else ""
            )
            lines.append(f'<div class="page-changes__none">No corrections or updates recorded{since}.</div>')
        lines += [
            f'<div class="page-changes__all" markdown="span">[All changes and corrections]({relative(CHANGES_PAGE, src)})</div>',
            "</div>",
            "",
        ]
        return "\n".join(lines)

    def markdown(self, build, page, markdown: str) -> str:
        # After the care cards (their headings are sections a change may name), before mkdocs-bibtex,
        # so the changes' [@key] citations resolve. Glossary definitions apply to this text too.
        src = page.file.src_uri
        if is_content_page(src) and src != CHANGES_PAGE:
            markdown = (
                markdown.rstrip("\n")
                + "\n\n"
                + self.page_box_markdown(changelog.for_page(self.changes, src, PAGE_LIMIT), page)
                + "\n"
            )
        return markdown

    def headed_tree(self, build, page, root, md) -> None:
        self.ids[page.file.src_uri] = _ids(getattr(md, "toc_tokens", []))  # the toc extension has just run

    def finished_tree(self, build, page, root, md) -> None:
        """Lift "What changed on this page" out of the page's tree: it is shown beside the review stamp
        (overrides/partials/page-changes.html), not in the text. Written out as Python-Markdown writes a
        page (serialiser, then its postprocessors), with its citations, glossary words and links done."""
        src = page.file.src_uri
        self.boxes.pop(src, None)
        for parent in root.iter():
            for index, child in enumerate(parent):
                if child.tag == "div" and child.get("class") == "page-changes":
                    _keep_tail(parent, index, child.tail)
                    child.tail = None
                    parent.remove(child)
                    html = md.serializer(child)
                    for postprocessor in md.postprocessors:
                        html = postprocessor.run(html)
                    self.boxes[src] = html.strip()
                    return

    def env(self, build):
        problems = changelog.section_problems(self.changes, self.ids, changelog.DATA_FILE)
        if problems:
            raise BuildError(
                f"{len(problems)} problem{'s' if len(problems) > 1 else ''} with the changes:\n  "
                + "\n  ".join(str(p) for p in problems)
            )

    def context(self, build, page, context):
        config = build.config
        src = page.file.src_uri
        title = (page.meta or {}).get("title") or page.title or config.site_name
        context["report_problem"] = links(self.setting, config.repo_url, title, page.canonical_url or config.site_url)
        context["page_changes"] = self.boxes.get(src)
        context["evidence_checked"] = self.evidence_line(build, page)
        context["feed_title"] = f"{config.site_name}: {FEED_TITLE}"

    def evidence_line(self, build, page) -> dict | None:
        """ "Evidence checked up to <month>" as far as a screened search reaches; until then, when the
        sources were last checked and that no search for newer studies has been run yet."""
        sources = evidence_stamp(page.meta or {})
        search = self.searches.get(page.file.src_uri)
        if sources is None and search is None:
            return None
        href = None
        record_page = build.files.get_file_from_path(SEARCHES_PAGE) if build.files else None
        if search is not None and record_page is not None:
            href = f"{record_page.url_relative_to(page.file)}#{search.anchor}"
        reached = watch.reach(search) if search else None
        if reached is not None:
            month = whole_months(reached)
            return {"searched": True, "iso": f"{month[0]:04d}-{month[1]:02d}", "text": month_text(month), "href": href}
        return (sources or {}) | {"searched": False, "href": href}

    # --- after every page -----------------------------------------------------------------------
    def feed_entries(self, files, site_url: str) -> list[FeedEntry]:
        changes_file = files.get_file_from_path(CHANGES_PAGE)
        changes_url = site_url + (changes_file.url if changes_file else "changes/")
        out = []
        for change in changelog.newest_first(self.changes):
            file = files.get_file_from_path(change.page)
            link = site_url + (file.url if file else "") + (f"#{change.section}" if change.section else "")
            out.append(
                FeedEntry(
                    id=f"{changes_url}#{change.id}",
                    title=f"{change.kind_label}: {self.place_name(change.target)}",
                    link=link,
                    date=change.date,
                    kind=change.kind,
                    text=change.text,
                )
            )
        return out

    def post_build(self, build):
        config, files = build.config, build.files
        site_url = config.site_url or "/"
        site_url = site_url if site_url.endswith("/") else site_url + "/"
        entries = self.feed_entries(files, site_url)
        changes_file = files.get_file_from_path(CHANGES_PAGE)
        changes_page = site_url + (changes_file.url if changes_file else "")
        newest = max((c.date for c in self.changes), default=None)
        authors = self.changes_authors or [config.site_name]
        text = atom_feed(
            feed_id=site_url + FEED_FILE,
            title=f"{config.site_name}: {FEED_TITLE}",
            subtitle="Corrections, updates and new pages, newest first.",
            self_url=site_url + FEED_FILE,
            page_url=changes_page,
            author=", ".join(authors),
            entries=entries,
            updated=newest or dt.date(1970, 1, 1),
        )
        Path(config.site_dir, FEED_FILE).write_text(text, encoding="utf-8")
