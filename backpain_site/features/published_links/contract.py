"""The published-link contract: read the list, read the built site, say what broke and what is new.

A line of data/published-links.txt is a path after the site's address, optionally with a section id:
``/`` (home), ``/how-common/`` (a page), ``/how-common/#in-runners`` (a section). ``#`` at the
start of a line begins a comment. Nothing here needs MkDocs: the built HTML is read with the
standard library, so the check runs on any built site (the real one or a fixture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from backpain_site.kernel.problems import Problem

LINKS_FILE = Path("data") / "published-links.txt"
RENAMES_FILE = Path("data") / "renamed-sections.yml"
ADD_COMMAND = "make links"
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
# A site path: starts with "/", no spaces, no query; an optional "#id" after it.
LINE = re.compile(r"^(/[^\s#?]*)(?:#([^\s#]+))?$")
_BASE = "http://site.invalid"  # resolves relative redirect targets; never fetched


@dataclass(frozen=True)
class Entry:
    path: str
    fragment: str  # "" for the page itself
    line: int

    @property
    def link(self) -> str:
        return self.path + (f"#{self.fragment}" if self.fragment else "")


def parse(text: str, source: str = str(LINKS_FILE)) -> tuple[list[Entry], list[Problem]]:
    """The entries of the links file and a Problem (at its line) for every line that is not one."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if not match:
            problems.append(Problem(source, number, f"{line!r} is not a site path: write /page/ or /page/#section-id"))
            continue
        entries.append(Entry(match.group(1), match.group(2) or "", number))
    return entries, problems


# Reading the built site -----------------------------------------------------------------------------


class _PageReader(HTMLParser):
    """Collects every id on a page, the ids of headings inside <article>, and a meta refresh target."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.headings: list[str] = []
        self.refresh: str | None = None
        self._article_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id:
            self.ids.add(element_id)
        if tag == "article":
            self._article_depth += 1
        elif tag in HEADINGS and element_id and self._article_depth:
            self.headings.append(element_id)
        elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", attributes.get("content") or "", re.I)
            if match:
                self.refresh = match.group(1).strip()

    def handle_endtag(self, tag):
        if tag == "article" and self._article_depth:
            self._article_depth -= 1


@dataclass
class BuiltSite:
    """What a built site publishes: pages (path -> all ids, section ids) and redirects (path -> target)."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # old path -> absolute target (path[#fragment])

    def links(self) -> list[str]:
        """Every page and section link, pages in path order, sections in page order."""
        out = []
        for path in sorted(self.sections):
            out.append(path)
            out.extend(f"{path}#{section}" for section in self.sections[path])
        return out


def site_path(relative: str) -> str:
    """'/a/b/' for 'a/b/index.html', '/' for 'index.html', '/x.html' for 'x.html'."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def read_site(site_dir: Path) -> BuiltSite:
    site = BuiltSite()
    for html in sorted(Path(site_dir).rglob("*.html")):
        relative = html.relative_to(site_dir).as_posix()
        if relative == "404.html":
            continue  # served for any missing address; not a page anyone links to
        reader = _PageReader()
        reader.feed(html.read_text(encoding="utf-8"))
        path = site_path(relative)
        if reader.refresh is not None:  # a redirect page (mkdocs-redirects writes a meta refresh)
            target = urlsplit(urljoin(_BASE + path, reader.refresh))
            if f"{target.scheme}://{target.netloc}" == _BASE:
                site.redirects[path] = target.path + (f"#{target.fragment}" if target.fragment else "")
            else:
                site.redirects[path] = target.geturl()
            continue
        site.ids[path] = reader.ids
        site.sections[path] = list(dict.fromkeys(reader.headings))
    return site


# The contract ---------------------------------------------------------------------------------------


def _follow(site: BuiltSite, path: str, fragment: str) -> tuple[str, str, list[str]] | None:
    """Where a link to path#fragment lands after redirects: (path, fragment, hops); None off-site.

    mkdocs-redirects' redirect page runs `location.href = target + "#" + the link's fragment`, so a
    link's fragment is carried to the new page; a target that has a fragment of its own and a link
    with one too become "own#link's", which no id matches (reported by the caller).
    """
    hops: list[str] = []
    while path in site.redirects and len(hops) < 10:
        target = site.redirects[path]
        hops.append(target)
        if target.startswith(("http://", "https://")):
            return None
        if fragment and "#" in target:
            target, own = target.split("#", 1)
            fragment = f"{own}#{fragment}"
        elif "#" in target:
            target, fragment = target.split("#", 1)
        path = target
    return path, fragment, hops


def broken_links(entries: list[Entry], site: BuiltSite, source: str = str(LINKS_FILE)) -> list[Problem]:
    """A Problem ('file:line: /page/#id: problem') for every listed link that no longer lands on its id."""
    problems: list[Problem] = []
    for entry in entries:
        landed = _follow(site, entry.path, entry.fragment)
        if landed is None:
            continue  # redirected to another website: nothing here can check it
        path, fragment, hops = landed
        via = f" (redirected to {hops[-1]})" if hops else ""

        def problem(text: str, entry: Entry = entry) -> Problem:
            return Problem(source, entry.line, f"{entry.link}: {text}")

        if path not in site.ids:
            if hops:
                problems.append(problem(f"the redirect goes to {path}, which is not a page of the site"))
            else:
                problems.append(
                    problem(
                        f"no page at {path} and no redirect from it; a moved page needs a redirect in "
                        "mkdocs.yml (plugins: redirects: redirect_maps: old.md: new.md)"
                    )
                )
            continue
        if fragment and unquote(fragment) not in site.ids[path]:
            if hops and "#" in fragment:
                problems.append(
                    problem(
                        f"the redirect's target {hops[-1]} has a #fragment of its own, "
                        f"so the link's #{entry.fragment} is lost; redirect to the page without one"
                    )
                )
            else:
                problems.append(
                    problem(
                        f'{path}{via} has no element with id "{fragment}"; keep the id, or map the '
                        f"old id to the new one in {RENAMES_FILE}"
                    )
                )
    return problems


def unlisted_links(entries: list[Entry], site: BuiltSite) -> list[str]:
    """Pages and sections of the built site that the links file does not list yet."""
    listed = {entry.link for entry in entries}
    return [link for link in site.links() if link not in listed]


def add_links(text: str, links: list[str]) -> tuple[str, list[str]]:
    """The links file with every link it lacks added; nothing is removed or reordered.

    A new section goes after the last line of its page; a new page goes at the end, after a blank line.
    """
    entries, _ = parse(text)
    listed = {entry.link for entry in entries}
    lines = text.splitlines()
    last_line: dict[str, int] = {}  # page path -> index of its last line in `lines`
    for entry in entries:
        last_line[entry.path] = max(last_line.get(entry.path, -1), entry.line - 1)
    added = []
    for link in links:
        if link in listed:
            continue
        path = link.split("#", 1)[0]
        if path in last_line:
            at = last_line[path] + 1
        else:
            if lines and lines[-1].strip():
                lines.append("")
            at = len(lines)
        lines.insert(at, link)
        for page, index in last_line.items():
            if index >= at:
                last_line[page] = index + 1
        last_line[path] = at
        listed.add(link)
        added.append(link)
    return "\n".join(lines) + "\n", added
