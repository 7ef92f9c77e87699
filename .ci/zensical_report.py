"""What survives a Zensical build of this site, page by page, compared with the MkDocs build.

    python .ci/zensical_report.py SITE_MKDOCS SITE_ZENSICAL  > report.md

Zensical renders the Markdown with Python-Markdown and reads mkdocs.yml's markdown_extensions, but
runs no MkDocs hook or plugin: the site's features (backpain_site/hook.py) and mkdocs-bibtex do not
run. For every page of the MkDocs build this says whether Zensical wrote it, whether it has the same
<h1>, how many citations became numbered references (MkDocs) and how many were left as raw `[@key]`
text (Zensical), how many shortcodes (`<!-- name: ... -->` markers the features expand) were left
unexpanded, whether tables were stacked for phones (the stacked_tables Markdown extension), and
whether the page carries its Content-Security-Policy. Standard library only; exit 0 always (the CI job
is informational: .github/workflows/ci.yml, job zensical).
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

CITATION = re.compile(r"\[@[\w:.\-/]+(?:\s*;\s*@[\w:.\-/]+)*\]")
SHORTCODE = re.compile(r"<!--\s*([a-z][a-z0-9-]*)\b[^<>]*?-->")


class Text(HTMLParser):
    """The page's visible text (no script/style) and its first <h1>."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.h1: str | None = None
        self._skip = 0
        self._in_h1 = False
        self._h1: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "h1" and self.h1 is None:
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.h1 = re.sub(r"[\s¶]+", " ", "".join(self._h1)).strip()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
        if self._in_h1:
            self._h1.append(data)


def facts(path: Path) -> dict:
    html = path.read_text(encoding="utf-8", errors="replace")
    parser = Text()
    parser.feed(html)
    text = "".join(parser.parts)
    return {
        "h1": parser.h1,
        "references": len(re.findall(r'class="footnote-ref"', html)),
        "raw citations": len(CITATION.findall(text)),
        "shortcodes left": sorted({m.group(1) for m in SHORTCODE.finditer(html)}),
        "stacked tables": html.count("data-label="),
        "csp": 'http-equiv="Content-Security-Policy"' in html,
    }


def report(mkdocs_site: Path, zensical_site: Path) -> str:
    pages = sorted(p.relative_to(mkdocs_site).as_posix() for p in mkdocs_site.rglob("*.html"))
    extra = sorted(
        p.relative_to(zensical_site).as_posix()
        for p in zensical_site.rglob("*.html")
        if not (mkdocs_site / p.relative_to(zensical_site)).exists()
    )
    lines = [
        "| page | written | same h1 | references (MkDocs → Zensical) | raw [@key] left | shortcodes left "
        "| stacked table cells | CSP |",
        "|---|---|---|---|---|---|---|---|",
    ]
    written = same_h1 = cited = 0
    for rel in pages:
        ours = facts(mkdocs_site / rel)
        theirs_path = zensical_site / rel
        if not theirs_path.exists():
            lines.append(f"| {rel} | no | | {ours['references']} → – | | | | |")
            continue
        theirs = facts(theirs_path)
        written += 1
        same_h1 += theirs["h1"] == ours["h1"]
        cited += ours["references"] > 0 and theirs["references"] == ours["references"]
        heading = "yes" if theirs["h1"] == ours["h1"] else f"no ({theirs['h1']!r})"
        lines.append(
            f"| {rel} | yes | {heading} "
            f"| {ours['references']} → {theirs['references']} | {theirs['raw citations']} "
            f"| {', '.join(theirs['shortcodes left']) or '–'} "
            f"| {ours['stacked tables']} → {theirs['stacked tables']} | {'yes' if theirs['csp'] else 'no'} |"
        )
    head = [
        "# What survives a Zensical build",
        "",
        f"{written} of {len(pages)} pages of the MkDocs build were written by Zensical; {same_h1} kept their "
        f"heading; {cited} kept all their numbered references.",
        "Zensical runs no MkDocs hook or plugin: citations (mkdocs-bibtex and the citations feature), "
        "shortcodes, generated pages (handouts), review stamps and the Content-Security-Policy are MkDocs "
        "glue today; the Markdown extensions (stacked tables) travel.",
        "",
    ]
    if extra:
        head += [f"Written by Zensical only: {', '.join(extra)}", ""]
    return "\n".join(head + lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python .ci/zensical_report.py SITE_MKDOCS SITE_ZENSICAL", file=sys.stderr)
        return 2
    mkdocs_site, zensical_site = Path(argv[1]), Path(argv[2])
    for folder in (mkdocs_site, zensical_site):
        if not folder.is_dir():
            print(f"{folder}: no such folder (did that build run?)", file=sys.stderr)
            return 2
    sys.stdout.write(report(mkdocs_site, zensical_site))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
