"""A Content-Security-Policy on every built page, computed from the page's own final bytes.

A static host such as GitHub Pages sends no security headers, so each page carries its policy in a
`<meta http-equiv="Content-Security-Policy">`, inserted right after `<meta charset>` (before any
script), together with `<meta name="referrer" content="strict-origin-when-cross-origin">`:

    default-src 'self'; script-src 'self' 'sha256-…' …; style-src 'self'; img-src 'self' data:;
    object-src 'none'; base-uri 'self'; form-action 'none'

`script-src` allows our own files and, by hash, exactly the inline scripts that page holds (Material's
templates write them: see `secure_site`). The hashes are taken from the page as written at the end of
the build, so a theme update that changes a script changes its hash with it, and a new inline script
is allowed only on the pages that carry it. Data blocks (`type="application/json"`,
`application/ld+json`) never run and get no hash. Inline `<style>` elements are hashed the same way
into `style-src`.

What a policy delivered by a meta tag cannot stop, the build refuses: an inline event-handler
attribute (`onclick=`), a `javascript:` address or a `style=` attribute anywhere in a page stops the
build with the file and line (they would be blocked in the browser, so the page would be broken).

Each page's policy allows only that page's own inline scripts. That is enough because the site does
not use Material's instant navigation (mkdocs.yml; tests/site_wide/test_build.py keeps it off), which would run
the next page's body scripts under the first page's policy.

Pure logic: the standard library only (`secure_page` for one page's text, `secure_site` for a folder).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from backpain_site.kernel.problems import Problem

__all__ = [
    "REFERRER",
    "CspError",
    "PageScan",
    "policy",
    "scan",
    "scan_from_json",
    "scan_to_json",
    "secure_page",
    "secure_site",
    "sha256",
]

REFERRER = "strict-origin-when-cross-origin"

# script types the browser runs (HTML: "JavaScript MIME type essence match", plus module and the
# inline-only kinds that script-src also governs); any other type is a data block that never runs.
_JS_TYPES = {
    "",
    "module",
    "importmap",
    "speculationrules",
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data"}

# What this feature inserts, matched exactly so a rebuild over an already secured page (mkdocs build
# --dirty starts from the last site) replaces it instead of adding a second policy.
_INSERTED = re.compile(
    r'<meta http-equiv="Content-Security-Policy" content="[^"]*">'
    r'<meta name="referrer" content="[^"]*">'
)


class CspError(Exception):
    """A page that cannot carry a policy as built; the message names file and line."""


def sha256(text: str) -> str:
    """The CSP source for an inline element's text: 'sha256-<base64>' of its UTF-8 bytes."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@dataclass
class Inline:
    tag: str  # "script" or "style"
    line: int
    text: str
    in_body: bool


@dataclass
class PageScan:
    inline: list[Inline] = field(default_factory=list)
    findings: list[tuple[int, str]] = field(default_factory=list)  # (line, what is wrong): reported as Problems
    insert_at: int | None = None  # character offset where the policy goes
    first_script: int | None = None  # character offset of the first <script> tag

    def hashes(self, tag: str) -> list[str]:
        """The distinct hashes of the page's inline `tag` elements, in page order."""
        return list(dict.fromkeys(sha256(item.text) for item in self.inline if item.tag == tag))


class _Scanner(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.result = PageScan()
        self.open: tuple[str, int, list[str]] | None = None
        self.in_head = False
        self.in_body = False

    def position(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        end = self.position() + len(self.get_starttag_text() or "")
        for name, value in attrs:
            if name.startswith("on"):
                self.result.findings.append(
                    (
                        line,
                        f"<{tag}> has an inline event handler {name}=: move it into a "
                        "script file (the Content-Security-Policy blocks it)",
                    )
                )
            elif name == "style":
                self.result.findings.append(
                    (
                        line,
                        f"<{tag}> has a style= attribute: use a class in the stylesheet "
                        "(the Content-Security-Policy blocks inline styles)",
                    )
                )
            elif name in _URL_ATTRS and value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                self.result.findings.append(
                    (
                        line,
                        f"<{tag}> has a javascript: address in {name}=: use a script "
                        "file (the Content-Security-Policy blocks it)",
                    )
                )
        if tag == "head" and self.result.insert_at is None:
            self.in_head = True
            self.result.insert_at = end
        elif tag == "body":
            self.in_head, self.in_body = False, True
        elif tag == "meta" and self.in_head and dict(attrs).get("charset") is not None:
            self.result.insert_at = end  # right after <meta charset>: the charset stays first
        elif tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "content-security-policy":
            self.result.findings.append(
                (
                    line,
                    "already has a Content-Security-Policy meta tag: this build writes "
                    "the only one (backpain_site/features/csp)",
                )
            )
        if tag == "script" and self.result.first_script is None:
            self.result.first_script = self.position()
        if tag in ("script", "style"):
            kind = (dict(attrs).get("type") or "").strip().lower()
            runs = tag == "style" or kind in _JS_TYPES
            if tag == "script" and dict(attrs).get("src") is not None:
                runs = False  # an external script: allowed by 'self', its text is not run
            self.open = (tag, line, []) if runs else None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.open[2].append(data)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if self.open is not None and tag == self.open[0]:
            name, line, chunks = self.open
            self.result.inline.append(Inline(name, line, "".join(chunks), self.in_body))
            self.open = None


def scan(text: str) -> PageScan:
    """What one page's HTML needs from its policy, and what in it no policy could allow."""
    scanner = _Scanner(text.replace("\r\n", "\n").replace("\r", "\n"))  # as the browser reads it
    scanner.feed(scanner.text)
    scanner.close()
    return scanner.result


def scan_to_json(found: PageScan) -> str:
    """A scan as JSON text (kept in .cache/csp/ by the feature, backpain_site/features/csp/build.py)."""
    return json.dumps(asdict(found), ensure_ascii=False, separators=(",", ":"))


def scan_from_json(text: str) -> PageScan:
    """The scan scan_to_json wrote (ValueError, KeyError or TypeError for anything else)."""
    data = json.loads(text)
    return PageScan(
        inline=[Inline(**item) for item in data["inline"]],
        findings=[(int(line), str(text)) for line, text in data["findings"]],
        insert_at=data["insert_at"],
        first_script=data["first_script"],
    )


def policy(script_hashes: list[str], style_hashes: list[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *script_hashes]),
            " ".join(["style-src 'self'", *style_hashes]),
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
        ]
    )


Scanner = Callable[[str], PageScan]


def secure_page(text: str, where: str, source: str | None = None, scanner: Scanner = scan) -> tuple[str, PageScan]:
    """The page with its policy and referrer meta tags inserted; CspError names `where` and the line
    (and the Markdown `source` the page was built from, when given). `scanner`: `scan`, or one that
    returns scan's result for the same text from a cache."""
    made = f"in the page built from {source}: " if source else ""
    text = _INSERTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    found = scanner(text)
    if found.findings:
        raise CspError("\n".join(str(Problem(where, line, made + problem)) for line, problem in found.findings))
    if found.insert_at is None:
        no_head = "no <head>: a page without one cannot carry its Content-Security-Policy"
        raise CspError(str(Problem(where, 1, made + no_head)))
    if found.first_script is not None and found.first_script < found.insert_at:
        line = text.count("\n", 0, found.first_script) + 1
        early = "a <script> comes before <meta charset>: the Content-Security-Policy must come first"
        raise CspError(str(Problem(where, line, made + early)))
    tags = (
        f'<meta http-equiv="Content-Security-Policy" content="{policy(found.hashes("script"), found.hashes("style"))}">'
        f'<meta name="referrer" content="{REFERRER}">'
    )
    return text[: found.insert_at] + tags + text[found.insert_at :], found


def secure_site(
    site_dir: Path | str,
    shown: str = "site",
    sources: dict[str, str] | None = None,
    insert: bool = True,
    scanner: Scanner = scan,
) -> dict[str, list[str]]:
    """Insert each page's policy into every .html file under site_dir (in place).

    shown: the folder's name in messages; sources: {page path: its Markdown source}, named in messages;
    insert=False checks every page the same way but leaves the files as they are (`mkdocs serve`);
    scanner: as for secure_page.
    Returns {page path: the script hashes its policy allows}. Raises CspError (file:line) for a page
    no policy can serve."""
    site = Path(site_dir)
    out: dict[str, list[str]] = {}
    problems: list[str] = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        where = f"{shown}/{rel}"
        try:
            text, found = secure_page(path.read_text(encoding="utf-8"), where, (sources or {}).get(rel), scanner)
        except CspError as error:
            problems.append(str(error))
            continue
        except UnicodeDecodeError as error:
            problems.append(
                str(Problem(where, 1, f"not UTF-8 text ({error.reason}): cannot add its Content-Security-Policy"))
            )
            continue
        if insert:
            path.write_text(text, encoding="utf-8")
        out[rel] = found.hashes("script")
    if problems:
        raise CspError("\n".join(problems))
    return out
