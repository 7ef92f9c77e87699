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
from typing import Any

import segno

from backpain_site.kernel import build_cache
from backpain_site.kernel.problems import Problem
from backpain_site.kernel.roles import SHARE_FOLDER, SHARE_PAGE

SHORTCODE = re.compile(r"<!--\s*share:(?P<verb>[\w-]*)(?P<args>.*?)-->", re.S)
SHORTCODE_LINE = re.compile(r"^<!--\s*share:[\w-]*[^\n]*?-->[ \t]*$")


def handout_src(src_uri: str) -> str:
    """share/<page>.md for a content page: index.md -> share/home.md, a/index.md -> share/a.md."""
    stem = src_uri[: -len(".md")]
    if stem == "index":
        stem = "home"
    elif stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return SHARE_FOLDER + stem + ".md"


def handout_markdown(src_uri: str, title: str, description: str) -> str:
    """The generated handout page: front matter and one shortcode (the hook renders the rest)."""
    return (
        "---\n"
        f"title: {json.dumps('Handout: ' + title)}\n"
        f"description: {json.dumps(description)}\n"
        "help_box: false\n"  # one printed page: the warning signs are on the page it links to
        "search:\n  exclude: true\n"  # the handout repeats its page: keep search results single
        "---\n\n"
        f"<!-- share:handout {src_uri} -->\n"
    )


# Every code uses the same mask pattern. Left to itself segno tries all 8 masks and scores each
# (ISO/IEC 18004's penalty rules): 5 to 6 times the work, 0.6 s of a cold build for 70 codes. Any of
# the 8 masks makes a valid code; tests/browser/test_share.py decodes every code on the Share page.
QR_MASK = 0
QR_OPTIONS: dict[str, Any] = dict(
    kind="svg",
    xmldecl=False,
    svgns=True,
    omitsize=True,
    svgclass="share-qr",
    lineclass=None,
    dark="#000",
    light="#fff",
    nl=False,
)


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


class QrCodes:
    """QR codes by URL: in memory for the session (`mkdocs serve`) and on disk (.cache/qr/) across builds."""

    def __init__(self, root: str | Path):
        self.cache = build_cache.Cache(root, "qr", QR_VERSION)
        self.memory: dict[str, str] = {}

    def svg(self, url: str) -> str:
        svg = self.memory.get(url)
        if svg is None:
            svg = self.memory[url] = self.cache.get_or_make(url, lambda: make_qr_svg(url))
        return svg


def qr_svg(url: str, root: str | Path = ".") -> str:
    """One code, through a cache under `root` (for tools and tests; the build keeps one QrCodes)."""
    return QrCodes(root).svg(url)


def share_page_problems(markdown: str, content_pages: list[str]) -> tuple[list[str], list[Problem]]:
    """The content pages the share page lists (in its order) and the problems on it (docs/share/index.md)."""
    listed: list[str] = []
    problems: list[Problem] = []
    where = f"docs/{SHARE_PAGE}"
    for number, line in enumerate(markdown.splitlines(), start=1):
        for match in SHORTCODE.finditer(line):
            verb, args = match.group("verb"), match.group("args").split()
            if verb != "sections":
                problems.append(
                    Problem(
                        where,
                        number,
                        f'unknown shortcode "share:{verb}" (the share page knows only <!-- share:sections page.md -->)',
                    )
                )
            elif len(args) != 1:
                problems.append(Problem(where, number, "write one page per shortcode: <!-- share:sections page.md -->"))
            elif args[0] not in content_pages:
                problems.append(Problem(where, number, f'"{args[0]}" is not a content page under docs/'))
            elif args[0] in listed:
                problems.append(Problem(where, number, f'"{args[0]}" is listed twice'))
            elif not SHORTCODE_LINE.match(line.strip()):
                problems.append(Problem(where, number, "put the shortcode on a line of its own"))
            else:
                listed.append(args[0])
    for page in content_pages:
        if page not in listed:
            problems.append(
                Problem(
                    where,
                    1,
                    f"content page docs/{page} is missing from the share page: add a "
                    f"heading for it and <!-- share:sections {page} --> under it",
                )
            )
    return listed, problems
