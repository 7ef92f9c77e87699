"""Report a problem, changes and corrections, the feed, "Evidence checked up to": the MkDocs glue.

The logic is in trust/ (no MkDocs) and citations/review.py (evidence_checked). Here:
  * on_config: read extra.report_problem, check every evidence page's evidence_checked and
    data/changes.yml (file:line for every problem; the build stops);
  * the Changes page's `<!-- changes-list -->` becomes every change, newest first; About's
    `<!-- report-problem: email -->` and `<!-- report-problem: reply-time -->` become the setting;
  * each content page gets "What changed on this page" (its last few changes) beside its review stamp;
  * on_env: a change's section must be a heading id on its built page;
  * every page gets "Report a problem with this page" (overrides/partials/report-problem.html);
  * on_post_build: feed.xml, the Atom feed of the same entries.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from citations.problems import Problem
from citations.project import bib_paths_from, load_bib, shown
from citations.review import evidence_errors, evidence_stamp
from trust import changes as changelog
from trust.feed import FeedEntry, atom_feed
from trust.report import links, read_setting

try:  # imported by MkDocs from hooks/ or by the tests as a package
    from help_box import SHORTCODE as CARD_SHORTCODE, SNIPPET as CARD_SNIPPET, CardError, parse_cards
    from share_sections import is_content_page, plain_text
except ImportError:  # pragma: no cover
    from hooks.help_box import SHORTCODE as CARD_SHORTCODE, SNIPPET as CARD_SNIPPET, CardError, parse_cards
    from hooks.share_sections import is_content_page, plain_text

CHANGES_PAGE = "changes.md"
CHANGES_MARKER = re.compile(r"^<!--\s*changes-list\s*-->[ \t]*$", re.M)
REPORT_MARKER = re.compile(r"<!--\s*report-problem:\s*(?P<what>[\w-]+)\s*-->")
PAGE_LIMIT = 3  # changes shown on each page; the Changes page lists them all
HEADING = re.compile(r"^#{2,6}[ \t]+(?P<text>.+?)[ \t]*\{[ \t]*#(?P<id>[^\s}]+)[^}]*\}[ \t]*$", re.M)
BOX = re.compile(r"<!-- page-changes -->\s*(?P<box>.*?)\s*<!-- /page-changes -->", re.S)
FEED_FILE = "feed.xml"
FEED_TITLE = "changes and corrections"

_state: dict = {}


def _today() -> dt.date:
    return dt.date.today()


def _bib_keys(config, root: Path) -> set[str]:
    plugin = config.plugins.get("bibtex")
    paths = bib_paths_from(plugin.config, root) if plugin is not None else [root / "references.bib"]
    return {entry.key for path in paths if path.exists() for entry in load_bib(path, root).entries}


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir)
    today = _today()
    errors = []
    setting, setting_errors = read_setting(config.extra, shown(Path(config.config_file_path), root))
    errors += setting_errors
    errors += evidence_errors(docs, root, today, list(config.extra.get("evidence_pages") or []))
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    path = root / changelog.DATA_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        errors.append(f"{changelog.DATA_FILE}: cannot read the list of changes: {error.strerror}")
        text = None
    entries: list[changelog.Change] = []
    if text is not None:
        entries, problems = changelog.parse(text, changelog.DATA_FILE, pages, _bib_keys(config, root), today)
        errors += [str(p) for p in sorted(set(problems), key=Problem.sort_key)]
    if errors:
        raise PluginError(f"{len(errors)} problem{'s' if len(errors) > 1 else ''} with the changes, "
                          "the report setting or evidence dates:\n  " + "\n  ".join(errors))
    _state.update(setting=setting, changes=entries, titles={}, sections={})
    # Kept across `mkdocs serve --dirty` rebuilds, which skip unchanged pages.
    _state.setdefault("ids", {})
    _state.setdefault("boxes", {})
    data_dir = str(root / "data")
    if data_dir not in config.watch:
        config.watch.append(data_dir)
    return config


def _relative(target: str, page_src: str) -> str:
    """A Markdown link from one docs page to another ('changes.md' from 'mechanisms/discs.md')."""
    return os.path.relpath(target, os.path.dirname(page_src) or ".").replace(os.sep, "/")


def inert(text: str) -> str:
    """Plain text as Markdown that stays plain: no HTML, emphasis, code, links or citations.

    A bare "&" is left to Markdown (it writes &amp; itself), so glossary words such as "A&E" still match."""
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text.replace("<", "&lt;").replace(">", "&gt;"))


def _cite(change: changelog.Change) -> str:
    return f" [@{change.cite}]" if change.cite else ""


def changes_markdown(entries: list[changelog.Change], page_src: str) -> str:
    """Every change, newest first: date and kind, the page (and section) as a link, the sentence."""
    if not entries:
        return "No changes have been recorded yet."
    out = []
    for change in changelog.newest_first(entries):
        link = _relative(change.page, page_src) + (f"#{change.section}" if change.section else "")
        where = inert(place_name(change.target))
        out.append(f'<div class="change-entry" id="{change.id}" markdown>\n\n'
                   f'<div class="change-meta" markdown="span">**{change.date_text} · {change.kind_label}** · [{where}]({link})</div>\n\n'
                   f"{inert(change.text)}{_cite(change)}\n\n</div>\n")
    return "\n".join(out)


def page_box_markdown(entries: list[changelog.Change], page) -> str:
    """'What changed on this page': the page's last few changes, or that none has been recorded.

    Written as <div>s with inline Markdown (md_in_html's markdown="span"), with list roles for screen
    readers: the box is a dated record like the review stamp, not a paragraph of the page's text."""
    src = page.file.src_uri
    lines = ["<!-- page-changes -->", "", '<div class="page-changes" data-readability="skip" markdown="block">',
             '<div class="page-changes__title"><strong>What changed on this page</strong></div>']
    if entries:
        lines.append('<div role="list" class="page-changes__list" markdown="block">')
        for change in entries:
            where = ""
            if change.section:
                title = _state["sections"].get(src, {}).get(change.section, change.section)
                where = f" ([{inert(title)}](#{change.section}))"
            lines.append(f'<div role="listitem" class="page-changes__entry" markdown="span">'
                         f"**{change.date_text} · {change.kind_label}**{where}: {inert(change.text)}{_cite(change)}</div>")
        lines.append("</div>")
    else:
        published = page.meta.get("published")
        since = f" since this page was published on {changelog.long_date(published)}" if isinstance(published, dt.date) else ""
        lines.append(f'<div class="page-changes__none">No corrections or updates recorded{since}.</div>')
    lines += [f'<div class="page-changes__all" markdown="span">[All changes and corrections]({_relative(CHANGES_PAGE, src)})</div>',
              "</div>", "", "<!-- /page-changes -->", ""]
    return "\n".join(lines)


# After the help box (50) has placed its cards (their headings are sections a change may name), before
# the citation checks (10) and mkdocs-bibtex (0), so the changes' [@key] citations resolve. Glossary
# definitions (abbr's glossary option) apply to the whole page, text added here included.
@event_priority(40)
def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if is_content_page(src) and src != CHANGES_PAGE:
        markdown = markdown.rstrip("\n") + "\n\n" + page_box_markdown(
            changelog.for_page(_state["changes"], src, PAGE_LIMIT), page) + "\n"
    if src == CHANGES_PAGE:
        markdown = CHANGES_MARKER.sub(lambda m: changes_markdown(_state["changes"], src), markdown)
    setting = _state["setting"]

    def report(match):
        what = match["what"]
        if what == "email":
            return f"[{setting.email}](mailto:{setting.email})"
        if what == "reply-time":
            # A promise set in mkdocs.yml, not a claim from a study: the claims check skips its class.
            days = f"{setting.response_days} day" + ("s" if setting.response_days != 1 else "")
            return f'<span class="report-promise">{days}</span>'
        raise PluginError(f"docs/{src}: unknown marker <!-- report-problem: {what} --> (use email or reply-time)")

    return REPORT_MARKER.sub(report, markdown)


def _flatten(toc) -> list:
    out = []
    for item in toc:
        out.append(item)
        out += _flatten(item.children)
    return out


def on_page_content(html_text, page, config, files):
    src = page.file.src_uri
    _state["ids"][src] = {item.id for item in _flatten(page.toc)}
    box = BOX.search(html_text)
    if box:  # shown beside the review stamp (overrides/partials/page-changes.html), not in the text
        _state["boxes"][src] = box.group("box")
        html_text = html_text[:box.start()] + html_text[box.end():]
    return html_text


def on_env(env, config, files):
    problems = changelog.section_problems(_state["changes"], _state["ids"], changelog.DATA_FILE)
    if problems:
        raise PluginError(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} with the changes:\n  "
                          + "\n  ".join(str(p) for p in problems))
    return env


def place_name(target: str) -> str:
    """'When to get help – Call 999 or go to A&E' for 'when-to-get-help.md#emergency'.

    From the pages' Markdown (on_files), so the Changes page can be written before the other pages
    are built; whether the section really is on the built page is checked in on_env."""
    page, _, section = target.partition("#")
    name = _state["titles"].get(page, page)
    return f"{name} – {_state['sections'].get(page, {}).get(section, section)}" if section else name


def on_page_context(context, page, config, nav):
    src = page.file.src_uri
    title = (page.meta or {}).get("title") or page.title or config.site_name
    context["report_problem"] = links(_state["setting"], config.repo_url, title, page.canonical_url or config.site_url)
    context["page_changes"] = _state["boxes"].get(src)
    context["evidence_checked"] = evidence_stamp(page.meta or {})
    context["feed_title"] = f"{config.site_name}: {FEED_TITLE}"
    return context


def feed_entries(site_url: str, files) -> list[FeedEntry]:
    changes_file = files.get_file_from_path(CHANGES_PAGE)
    changes_url = site_url + (changes_file.url if changes_file else "changes/")
    out = []
    for change in changelog.newest_first(_state["changes"]):
        file = files.get_file_from_path(change.page)
        link = site_url + (file.url if file else "") + (f"#{change.section}" if change.section else "")
        out.append(FeedEntry(id=f"{changes_url}#{change.id}", title=f"{change.kind_label}: {place_name(change.target)}",
                             link=link, date=change.date, kind=change.kind, text=change.text))
    return out


def on_post_build(config):
    files = _state.get("files")
    site_url = config.site_url or "/"
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    entries = feed_entries(site_url, files)
    changes_page = site_url + (files.get_file_from_path(CHANGES_PAGE).url if files.get_file_from_path(CHANGES_PAGE) else "")
    newest = max((c.date for c in _state["changes"]), default=None)
    authors = _state.get("changes_authors") or [config.site_name]
    text = atom_feed(feed_id=site_url + FEED_FILE, title=f"{config.site_name}: {FEED_TITLE}",
                     subtitle="Corrections, updates and new pages, newest first.",
                     self_url=site_url + FEED_FILE, page_url=changes_page, author=", ".join(authors),
                     entries=entries, updated=newest or dt.date(1970, 1, 1))
    Path(config.site_dir, FEED_FILE).write_text(text, encoding="utf-8")


def section_titles(markdown: str, card_titles: dict[str, str]) -> dict[str, str]:
    """{id: heading as plain text} of a page's headings with explicit ids, care cards placed included."""
    markdown = CARD_SHORTCODE.sub(
        lambda m: f"## {card_titles[m['level']]} {{ #{m['level']} }}" if m["level"] in card_titles else "", markdown)
    return {m["id"]: plain_text(m["text"]) for m in HEADING.finditer(markdown)}


def on_files(files, config):
    from citations.review import read_front_matter
    _state["files"] = files
    try:  # a broken snippet is reported by hooks/help_box.py; here it only means no card titles
        cards = parse_cards((Path(config.config_file_path).parent / CARD_SNIPPET).read_text(encoding="utf-8"))
        card_titles = {level: card.title for level, card in cards.items()}
    except (OSError, CardError):
        card_titles = {}
    for file in files.documentation_pages():
        text = file.content_string
        meta, _, _ = read_front_matter(text)
        _state["titles"][file.src_uri] = meta.get("title") if isinstance(meta.get("title"), str) else file.src_uri
        _state["sections"][file.src_uri] = section_titles(text, card_titles)
        if file.src_uri == CHANGES_PAGE:
            _state["changes_authors"] = meta.get("authors") if isinstance(meta.get("authors"), list) else None
    return files
