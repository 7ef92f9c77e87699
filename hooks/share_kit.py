"""The share kit for clinicians: the "Share a section" page and one printable handout per content page.

docs/share/index.md is ordinary Markdown with one shortcode per content page, on its own line:
`<!-- share:sections how-common.md -->` becomes a card per H2 section of that page (heading, one-line
summary from data/share-summaries.yml, the full URL as text and a QR code for it). Each content page
also gets a generated handout page, share/<page>/ (not in the nav, not in search): its title,
front-matter description, a QR code and URL for the page, and its sections. QR codes are SVG,
made at build time by segno (pure Python, offline).

Every problem (a section without a summary, a stale summary, an unknown or missing shortcode, a
page without a description) is collected and reported at once as file:line: problem.
"""
from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import segno

import build_cache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils.meta import get_data

try:  # imported by MkDocs from hooks/ or by the tests as a package
    from front_matter import field_line
    from review_dates import stamp as review_stamp
    from help_box import SHORTCODE as CARD_SHORTCODE, SNIPPET as CARD_SNIPPET, CardError, parse_cards
    from share_sections import (SHARE_FOLDER, SUMMARIES, h2_sections, is_content_page, match_summaries,
                                page_url, parse_summaries, section_url)
except ImportError:  # pragma: no cover
    from hooks.front_matter import field_line
    from hooks.review_dates import stamp as review_stamp
    from hooks.help_box import SHORTCODE as CARD_SHORTCODE, SNIPPET as CARD_SNIPPET, CardError, parse_cards
    from hooks.share_sections import (SHARE_FOLDER, SUMMARIES, h2_sections, is_content_page,
                                      match_summaries, page_url, parse_summaries, section_url)

SHARE_PAGE = SHARE_FOLDER + "index.md"
SHORTCODE = re.compile(r"<!--\s*share:(?P<verb>[\w-]*)(?P<args>.*?)-->", re.S)
SHORTCODE_LINE = re.compile(r"^<!--\s*share:[\w-]*[^\n]*?-->[ \t]*$")

_state: dict = {}


def handout_src(src_uri: str) -> str:
    """share/<page>.md for a content page: index.md -> share/home.md, a/index.md -> share/a.md."""
    stem = src_uri[:-len(".md")]
    if stem == "index":
        stem = "home"
    elif stem.endswith("/index"):
        stem = stem[:-len("/index")]
    return SHARE_FOLDER + stem + ".md"


def handout_markdown(src_uri: str, title: str, description: str) -> str:
    """The generated handout page: front matter and one shortcode (the hook renders the rest)."""
    return (
        "---\n"
        f"title: {json.dumps('Handout: ' + title)}\n"
        f"description: {json.dumps(description)}\n"
        "help_box: false\n"       # one printed page: the warning signs are on the page it links to
        "search:\n  exclude: true\n"  # the handout repeats its page: keep search results single
        "---\n\n"
        f"<!-- share:handout {src_uri} -->\n"
    )


# Every code uses the same mask pattern. Left to itself segno tries all 8 masks and scores each
# (ISO/IEC 18004's penalty rules): 5 to 6 times the work, 0.6 s of a cold build for 70 codes. Any of
# the 8 masks makes a valid code; tests/browser/test_share.py decodes every code on the Share page.
QR_MASK = 0
QR_OPTIONS = dict(kind="svg", xmldecl=False, svgns=True, omitsize=True, svgclass="share-qr",
                  lineclass=None, dark="#000", light="#fff", nl=False)


def make_qr_svg(url: str) -> str:
    """An inline SVG QR code for the URL, black on white in both colour schemes, with a text alternative."""
    out = io.BytesIO()
    segno.make(url, error="m", mask=QR_MASK).save(out, **QR_OPTIONS)
    label = html.escape(f"QR code that opens {url}", quote=True)
    return out.getvalue().decode("utf-8").replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


# QR codes by URL, in memory for `mkdocs serve` and on disk (.cache/qr/) across builds. The key holds
# the URL, segno's version and the source of make_qr_svg() (options and mask included), so a code is
# reused only when it would come out the same.
QR_VERSION = f"segno {segno.__version__}; {build_cache.source_of(make_qr_svg)}; {QR_MASK}; {sorted(QR_OPTIONS.items())}"
_qr: dict = {"root": None, "cache": None, "memory": {}}


def qr_svg(url: str) -> str:
    root = _state.get("root") or "."
    if _qr["root"] != root:
        _qr.update(root=root, cache=build_cache.Cache(root, "qr", QR_VERSION), memory={})
    svg = _qr["memory"].get(url)
    if svg is None:
        svg = _qr["memory"][url] = _qr["cache"].get_or_make(url, lambda: make_qr_svg(url))
    return svg


def share_page_problems(markdown: str, content_pages: list[str]) -> tuple[list[str], list[str]]:
    """The content pages the share page lists (in its order) and 'docs/share/index.md:line: problem's."""
    listed, problems = [], []
    where = f"docs/{SHARE_PAGE}"
    for number, line in enumerate(markdown.splitlines(), start=1):
        for match in SHORTCODE.finditer(line):
            verb, args = match.group("verb"), match.group("args").split()
            if verb != "sections":
                problems.append(f'{where}:{number}: unknown shortcode "share:{verb}" '
                                "(the share page knows only <!-- share:sections page.md -->)")
            elif len(args) != 1:
                problems.append(f"{where}:{number}: write one page per shortcode: <!-- share:sections page.md -->")
            elif args[0] not in content_pages:
                problems.append(f'{where}:{number}: "{args[0]}" is not a content page under docs/')
            elif args[0] in listed:
                problems.append(f'{where}:{number}: "{args[0]}" is listed twice')
            elif not SHORTCODE_LINE.match(line.strip()):
                problems.append(f"{where}:{number}: put the shortcode on a line of its own")
            else:
                listed.append(args[0])
    for page in content_pages:
        if page not in listed:
            problems.append(f"{where}:1: content page docs/{page} is missing from the share page: add a "
                            f"heading for it and <!-- share:sections {page} --> under it")
    return listed, problems


def with_care_cards(markdown: str, titles: dict[str, str]) -> str:
    """The page's Markdown with each `<!-- care-card: LEVEL -->` line (hooks/help_box.py puts the
    full card there, as an H2) written as that H2, so the card is a section clinicians can share.
    One line stays one line, so line numbers in messages still point at the page."""
    return CARD_SHORTCODE.sub(
        lambda m: f"## {titles[m['level']]} {{ #{m['level']} }}" if m["level"] in titles else m.group(0), markdown)


def on_config(config):
    root = Path(config.config_file_path).parent
    _state["root"] = str(root)
    try:  # a broken snippet is reported by hooks/help_box.py; here it only means no card titles
        cards = parse_cards((root / CARD_SNIPPET).read_text(encoding="utf-8"))
        _state["card_titles"] = {level: card.title for level, card in cards.items()}
    except (OSError, CardError):
        _state["card_titles"] = {}
    if not config.get("site_url"):
        raise PluginError("mkdocs.yml: site_url is not set: copy links and QR codes need the site's public address")
    path = Path(config.config_file_path).parent / SUMMARIES
    try:
        _state["summaries_text"] = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PluginError(f"{SUMMARIES}: cannot read the share summaries: {error.strerror}") from None
    return config


def on_files(files, config):
    content = [f for f in files.documentation_pages() if is_content_page(f.src_uri)]
    content_pages = [f.src_uri for f in content]
    sections, problems, pages = [], [], {}
    for file in content:
        source = file.content_string
        _, meta = get_data(source)
        for field in ("title", "description"):
            if not isinstance(meta.get(field), str) or not meta[field].strip():
                problems.append(f'docs/{file.src_uri}:{field_line(source, field)}: front matter field "{field}": '
                                "needed for the page's printable handout")
        found, bad = h2_sections(file.src_uri, with_care_cards(source, _state.get("card_titles", {})))
        sections += found
        problems += [f"docs/{file.src_uri}:{line}: {problem}" for line, problem in bad]
        pages[file.src_uri] = {"file": file, "title": meta.get("title"), "description": meta.get("description"),
                               "sections": found, "review": review_stamp(meta)}
    summaries, bad = parse_summaries(_state["summaries_text"])
    problems += [f"{SUMMARIES}:{line}: {problem}" for line, problem in bad]
    matched, bad = match_summaries(sections, summaries, content_pages)
    problems += bad

    share_page = files.get_file_from_path(SHARE_PAGE)
    if share_page is not None:
        _, bad = share_page_problems(share_page.content_string, content_pages)
        problems += bad

    handouts = {}
    for src_uri in content_pages:
        target = handout_src(src_uri)
        if files.get_file_from_path(target) is not None or target in handouts.values():
            problems.append(f"docs/{src_uri}:1: its handout would be docs/{target}, which already exists")
        handouts[src_uri] = target
    if problems:
        raise PluginError("The share kit cannot be built:\n" + "\n".join(problems))

    for src_uri, target in handouts.items():
        page = pages[src_uri]
        handout = File.generated(config, target, content=handout_markdown(src_uri, page["title"], page["description"]),
                                 inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(handout)
        page["handout"] = handout
    _state.update(pages=pages, summaries=matched, site_url=config["site_url"], share_page=share_page,
                  site_name=config["site_name"], handout_of={target: src for src, target in handouts.items()})
    return files


def _cards(page, src_uri: str, env) -> str:
    info = _state["pages"][src_uri]
    site_url = _state["site_url"]
    cards = [{
        "heading": section.heading,
        "summary": _state["summaries"][(src_uri, section.id)],
        "url": section_url(site_url, info["file"].url, section.id),
        "href": f"{info['file'].url_relative_to(page.file)}#{section.id}",
        "qr": qr_svg(section_url(site_url, info["file"].url, section.id)),
    } for section in info["sections"]]
    return env.get_template("partials/share-cards.html").render(
        cards=cards, title=info["title"], handout_href=info["handout"].url_relative_to(page.file))


def _handout(page, src_uri: str, env) -> str:
    info = _state["pages"][src_uri]
    url = page_url(_state["site_url"], info["file"].url)
    sections = [{"heading": s.heading, "summary": _state["summaries"][(src_uri, s.id)]} for s in info["sections"]]
    share_page = _state["share_page"]
    share = share_page.url_relative_to(page.file) if share_page else None
    return env.get_template("partials/share-handout.html").render(
        title=info["title"], description=info["description"], url=url, qr=qr_svg(url), sections=sections,
        href=info["file"].url_relative_to(page.file), share_href=share, site_name=_state["site_name"],
        review_stamp=info["review"])


def on_page_content(html_text, page, config, files):
    if not page.file.src_uri.startswith(SHARE_FOLDER) or "pages" not in _state:
        return html_text
    env = config.theme.get_env()

    def render(match):
        verb, args = match.group("verb"), match.group("args").split()
        if verb == "sections":
            return _cards(page, args[0], env)
        if verb == "handout":
            return _handout(page, args[0], env)
        return match.group(0)  # checked in on_files; cannot happen

    return SHORTCODE.sub(render, html_text)


def on_page_context(context, page, config, nav):
    """A handout's "Read this page online" (overrides/partials/content.html) gives the address of the
    page it hands out, not the handout's own: the reader wants the page."""
    src_uri = _state.get("handout_of", {}).get(page.file.src_uri)
    if src_uri is not None:
        context["online_url"] = page_url(_state["site_url"], _state["pages"][src_uri]["file"].url)
    return context
