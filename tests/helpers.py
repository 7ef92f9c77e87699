"""Helpers every test module shares: paths, the fixed "today", building a project, reading pages,
and the browser settings (devices, axe). Fixtures live in conftest.py files; plain functions here.

conftest.py and browser/conftest.py import these names too, so `from conftest import run_build`
keeps working.
"""

from __future__ import annotations

import http.server
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from backpain_site.features.citations.bibtex import scan_file
from backpain_site.features.citations.markdown import find_citations
from backpain_site.features.published_links.contract import read_site
from backpain_site.features.sharing.kit import handout_src
from backpain_site.features.sharing.sections import is_content_page
from backpain_site.features.studies.data import parse as parse_studies
from backpain_site.features.studies.project import DATA_FILE
from backpain_site.kernel.markdown_code import plain_text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BIB = ROOT / "references.bib"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CITATION_BASE = FIXTURES / "citations" / "base"
CASES = FIXTURES / "citations" / "cases"

# The day every build and check under test treats as "today" (backpain_site/kernel/clock.py reads SITE_TODAY),
# so the suite passes on any date: it lies after every change in data/changes.yml (a later one is an
# error) and before every page's next_review, and review dates only
# ever move forward. conftest.py puts it in os.environ, so every subprocess (mkdocs build/serve,
# `python -m backpain_site.features.citations check`) sees it. The publish build, `make build` and `make check` leave
# SITE_TODAY unset and so still refuse an overdue review (tests/site_wide/test_today.py proves both).
TODAY = "2026-12-31"


def run_build(
    project: Path,
    out: Path,
    strict: bool = True,
    site_url: str = "http://127.0.0.1:8000/",
    env: dict | None = None,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """`mkdocs build [--strict]` of the project in `project` into `out`, as a user would run it.

    env adds or overrides environment variables; prefix runs it under another command (faketime).
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url, **(env or {}))
    return subprocess.run(
        [*prefix, sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "--site-dir", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_check(
    project: Path, *args: str, env: dict | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """`python -m backpain_site.features.citations check` of the project's mkdocs.yml (exit 0 clean, 1 errors, 2 unusable)."""
    return subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "backpain_site.features.citations",
            "check",
            "-f",
            str(project / "mkdocs.yml"),
            *args,
        ],
        cwd=ROOT,
        env=dict(os.environ, **(env or {})),
        capture_output=True,
        text=True,
        timeout=120,
    )


def make_project(dest: Path, case: str | None = None) -> Path:
    """A copy of the citation fixture site (the project's code, backpain_site/, linked in), plus one case's files.

    A case (fixtures/citations/cases/NAME) replaces references.bib and/or the whole docs/ folder;
    a case with a bib/ folder makes the site read every .bib in it (mkdocs-bibtex's bib_dir).
    """
    shutil.copytree(CITATION_BASE, dest)
    (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
    if case:
        if (CASES / case / "docs").exists():
            shutil.rmtree(dest / "docs")
        shutil.copytree(CASES / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
        if (CASES / case / "bib").is_dir():
            config = dest / "mkdocs.yml"
            config.write_text(config.read_text().replace("bib_file: references.bib", "bib_dir: bib"))
    return dest


@dataclass
class Site:
    root: Path
    log: str
    returncode: int
    url: str = "http://127.0.0.1:8000/"  # the site_url it was built for (tests/browser serve it there)
    _soups: dict = field(default_factory=dict)

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def page(self, url: str) -> BeautifulSoup:
        """The parsed page at a site URL such as '' (home) or 'mechanisms/discs/'."""
        path = self.root / url / "index.html" if not url.endswith(".html") else self.root / url
        if path not in self._soups:
            self._soups[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return self._soups[path]


REVIEW = FIXTURES / "review-dates"


def fixture_project(fixtures: Path, dest: Path, case: str | None = None) -> Path:
    """A copy of `fixtures`/base with the project's code and overrides linked in, plus one case from
    `fixtures`/cases (its expected.txt left out)."""
    shutil.copytree(fixtures / "base", dest)
    (dest / "backpain_site").symlink_to(ROOT / "backpain_site")
    (dest / "overrides").symlink_to(ROOT / "overrides")
    if case:
        shutil.copytree(
            fixtures / "cases" / case, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt")
        )
    return dest


def make_review_project(dest: Path, case: str | None = None) -> Path:
    """The review fixture site (test_review_dates.py and test_cite_page.py in tests/features/citations/)."""
    return fixture_project(REVIEW, dest, case)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def markdown_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def page_url(md: Path) -> str:
    """Site URL of a docs page under MkDocs' directory URLs: docs/a/b.md -> 'a/b/', index.md -> ''."""
    rel = md.relative_to(DOCS).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "index":
        parts = parts[:-1]
    return "/".join(parts) + ("/" if parts else "")


def front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(match.group(1)) if match else {}


def strip_code(text: str) -> str:
    """Markdown without fenced code blocks and inline code, where nothing is a citation."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def squash(text: str) -> str:
    """Runs of whitespace as one space, trimmed."""
    return " ".join(text.split())


# Browser settings (tests/browser/) --------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Every page of the site (site URL -> the front-matter title its Markdown source gives it).
TITLES = {page_url(md): front_matter(md).get("title") for md in markdown_pages()}
PAGES = list(TITLES)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Every page the browser tests open listens for Content-Security-Policy violations from its first
# script on (an init script runs before the page's own and is not subject to its policy): each one is
# kept in window.__cspViolations (this document) and reported to Console.violations (every document
# the tab showed). tests/browser/conftest.py fails any test whose pages had one.
CSP_LISTENER = """(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", event => {
    const line = `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} `
               + `(${event.sourceFile || location.href}:${event.lineNumber})`;
    window.__cspViolations.push(line);
    if (window.__reportCspViolation) window.__reportCspViolation(line);
  }, true);
})();"""


class Console:
    """Errors a page reported: console.error messages and uncaught exceptions; and, separately, the
    securitypolicyviolation events of every document it showed."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.violations: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"{page.url}: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.expose_function("__reportCspViolation", lambda line: self.violations.append(f"{page.url}: {line}"))
        page.add_init_script(CSP_LISTENER)


_AXE = None
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def axe_violations(page, include: list[str] | None = None) -> list[str]:
    """axe-core's WCAG 2.0–2.2 A/AA violations on the page as it is now, one line each.

    include: CSS selectors of the parts to check (an opened widget and what opened it) instead of
    the whole page, when the rest of the page is already checked by the sweeps of
    tests/browser/test_accessibility.py."""
    context = {"include": [[selector] for selector in include]} if include else None
    if include:
        missing = [selector for selector in include if page.locator(selector).count() == 0]
        assert missing == [], f"nothing for axe to check at {missing}"
    result = _axe().run(page, context=context, options=AXE_OPTIONS)
    assert result.response["testEngine"]["name"] == "axe-core"
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
    ]


def _axe():
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    return _AXE


def axe_start(page) -> None:
    """Start axe on the page as it is now and return at once (axe runs in the page's own renderer
    process), so several pages can be checked side by side; axe_finish collects the result."""
    page.evaluate(_axe().axe_script)
    page.evaluate(
        "options => { window.__axeRun = new Promise(resolve => setTimeout(resolve, 0))"
        ".then(() => axe.run(document, options)); }",
        AXE_OPTIONS,
    )


def axe_finish(page) -> list[str]:
    """The violations of the run axe_start began on this page, one line each (as axe_violations)."""
    response = page.evaluate("() => window.__axeRun")
    assert response["testEngine"]["name"] == "axe-core"
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in response["violations"]
    ]


SETTLE = """() => new Promise(resolve => {
  let timer;
  const done = () => { observer.disconnect(); resolve(); };
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 400); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(done, 400);
})"""


def settle(page) -> None:
    """Wait until the page has not changed for 400 ms and no CSS transition is running."""
    page.evaluate(SETTLE)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


# --- shared by several test modules (no test module imports another) ---------------------------------

H2 = re.compile(r"^##\s+(?P<text>.*?)\s*\{\s*#(?P<id>[^\s}]+)\s*\}\s*$", re.M)


def rel(md: Path) -> str:
    return md.relative_to(DOCS).as_posix()


CONTENT = [md for md in markdown_pages() if is_content_page(rel(md))]


# The care cards' headings, from their one source: `<!-- care-card: emergency -->` on a page is
# that card in full, as an H2 section (backpain_site/features/care_cards/__init__.py), so it is a section clinicians can share.
CARD_TITLES = {
    level: title
    for title, level in re.findall(
        r"^## +(.+?) *\{ *#([a-z-]+) *\} *$", (ROOT / "includes" / "help-box.md").read_text(encoding="utf-8"), re.M
    )
}


def written_h2s(md: Path) -> list[tuple[str, str]]:
    """(heading as plain text, id) of each H2 written in the page's Markdown, in order."""
    source = re.sub(
        r"^<!-- *care-card *: *([a-z-]+) *-->[ \t]*$",
        lambda m: f"## {CARD_TITLES[m[1]]} {{ #{m[1]} }}",
        md.read_text(encoding="utf-8"),
        flags=re.M,
    )
    return [(plain_text(m.group("text")), m.group("id")) for m in H2.finditer(strip_code(source))]


EVIDENCE_PAGES = [
    "how-common.md",
    "run-walk-trial.md",
    "mechanisms/index.md",
    "mechanisms/discs.md",
    "mechanisms/beliefs.md",
    "mechanisms/activity.md",
]


def is_citation_mark(tag) -> bool:
    """A citation number (<a class="footnote-ref">) or the comma between two (<sup>): not the sentence's words."""
    return tag.name == "sup" or "footnote-ref" in (tag.get("class") or [])


def cited(block) -> bool:
    return bool(block.select("a.footnote-ref[id^='fnref']"))


def uncited_numbers(article) -> list[str]:
    """Paragraphs and list items that state a number with no citation in reach.

    A list item counts as cited when the paragraph introducing its list is; a paragraph
    introducing a list ("...compared with the waiting group:") when every item is.
    """
    found = []
    for block in article.select("p, li"):
        if block.find_parent(["table", "summary"]) or block.find_parent("div", class_="footnote"):
            continue
        if block.find(["p", "li"]) or "admonition-title" in (block.get("class") or []):
            continue
        text = block.get_text(" ", strip=True)
        if not re.search(r"\d", text) or cited(block):
            continue
        if block.name == "li":
            lead = block.find_parent(["ul", "ol"]).find_previous_sibling()
            if lead is not None and lead.name == "p" and cited(lead):
                continue
        if block.name == "p" and text.endswith(":"):
            following = block.find_next_sibling()
            if (
                following is not None
                and following.name in ("ul", "ol")
                and all(cited(li) for li in following.find_all("li"))
            ):
                continue
        found.append(text[:120])
    return found


BIB_KEYS = {entry.key for entry in scan_file(BIB, "references.bib").entries}


def load_data(text: str | None = None):
    text = (ROOT / DATA_FILE).read_text(encoding="utf-8") if text is None else text
    data, problems = parse_studies(text, "data/studies.yml", BIB_KEYS)
    assert problems == [], "\n".join(map(str, problems))
    return data


DATA = load_data()


def page_keys(md: Path) -> list[str]:
    """Keys the page's own Markdown cites, in order of first citation."""
    return list(dict.fromkeys(c.key for c in find_citations(md.read_text(encoding="utf-8"), md.name)[0]))


def cited_key(cell) -> str:
    return cell.select_one("a.footnote-ref")["href"].split("#fn:", 1)[1]


TRUST = FIXTURES / "trust"


def make_trust_project(dest: Path, case: str | None = None) -> Path:
    return fixture_project(TRUST, dest, case)


# --- shared by the browser test modules (tests/browser/: no test module imports another) -------------

HANDOUTS = [handout_src(rel(md))[: -len(".md")] + "/" for md in CONTENT]
EVERY_PAGE = PAGES + HANDOUTS + ["404.html"]
WIDTH = 390
CELL_FONT_FLOOR = 14  # px: the smallest text a table cell may show on a phone (body text is 16 px)

# What overflows the phone's screen (`width` px: the screen, even if something wider stretched the
# layout), measured with every <details> open (a reader opens them).
# An element may only reach past the right edge inside an ancestor that clips or scrolls it on
# purpose (a code block, Material's off-screen search); tables never: a table, or anything in one,
# past the edge fails, and so does a table that scrolls sideways inside its own box.
MEASURE = """([floor, width]) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '')
    + ' "' + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50) + '"';
  const shown = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const heldBack = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  const wide = [], reported = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const right = el.getBoundingClientRect().right;
    if (right <= width + 0.5) continue;
    if (!el.closest('table') && heldBack(el)) continue;
    if (reported.some(outer => outer.contains(el))) continue;  // name the outermost only
    reported.push(el);
    wide.push(`${name(el)} reaches ${Math.round(right)} px`);
  }
  for (const table of document.querySelectorAll('table')) {
    for (let a = table; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.scrollWidth > a.clientWidth + 1) {
        wide.push(`${name(table)} scrolls sideways inside ${name(a)} (${a.scrollWidth} px in ${a.clientWidth} px)`);
      }
    }
  }
  const small = [...document.querySelectorAll('td, th')].filter(shown)
    .map(c => [name(c), parseFloat(getComputedStyle(c).fontSize)]).filter(([, size]) => size < floor);
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth, wide, small,
          tables: document.querySelectorAll('table').length};
}"""

# Material wraps each table in its scrolling box from its script: measure after it has run.
TABLES_READY = """() => [...document.querySelectorAll('article table')]
  .every(t => t.closest('.md-typeset__scrollwrap'))"""


# Colour alone must not mark a link (WCAG 1.4.1). axe cannot always decide this rule (it can report
# it as "incomplete" rather than a violation), so the sweeps check the computed style directly.
BARE_LINKS = """() => [...document.querySelectorAll('article p a, article li a')]
  .filter(a => !a.matches('.headerlink, .footnote-backref') && a.getClientRects().length)
  .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline'))
  .map(a => (location.pathname + ': link not underlined: ' + a.textContent.trim()))"""


# Where the heading with this id sits against the sticky header and the viewport.
POSITION = """id => {
  const target = document.getElementById(id);
  const heading = target.closest('h1, h2, h3, h4, h5, h6') || target;
  const box = heading.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, header: document.querySelector('.md-header').getBoundingClientRect().bottom,
          viewport: window.innerHeight, scrolled: window.scrollY, heading: heading.id};
}"""


# Resolves once the page has not scrolled for five animation frames: the browser has finished
# scrolling to the fragment (smooth or not).
SCROLL_SETTLED = """() => new Promise(resolve => {
  let last = scrollY, still = 0;
  const tick = () => {
    if (scrollY === last) { if (++still >= 5) return resolve(); } else { still = 0; last = scrollY; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def landing(page, fragment: str, heading_id: str | None = None) -> tuple[dict, str | None]:
    """Where the section the fragment names sits once the page has loaded and stopped scrolling,
    and what is wrong with that (None: its heading shows, below the sticky header)."""
    page.wait_for_load_state("load")
    page.evaluate(SCROLL_SETTLED)
    where = page.evaluate(POSITION, fragment)
    if where["heading"] != (heading_id or fragment):
        return where, f"#{fragment} lands on the heading #{where['heading']}: {where}"
    if where["top"] < where["header"]:
        return where, f"#{fragment} is under the sticky header: {where}"
    if where["bottom"] > where["viewport"]:
        return where, f"#{fragment} is below the visible part of the page: {where}"
    return where, None


def middle_sections(site) -> list[str]:
    """One section link per page (its middle section): deep-linked after scrolling most of a page."""
    links = []
    for path, sections in sorted(read_site(site.root).sections.items()):
        if sections:
            links.append(f"{path.lstrip('/')}#{sections[len(sections) // 2]}")
    return links


def squash_printed(text: str) -> str:
    """Text as pypdf gives it, compared without whitespace (lines wrap differently on paper)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [squash_printed(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def decode_image(image) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(image)]


def decode(png: bytes) -> list[str]:
    from PIL import Image

    return decode_image(Image.open(io.BytesIO(png)))


def handout_url(md) -> str:
    return handout_src(rel(md))[: -len(".md")] + "/"
