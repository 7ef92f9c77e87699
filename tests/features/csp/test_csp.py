"""The Content-Security-Policy every built page carries (backpain_site/features/csp): the built site's
pages, the policy's hashes checked against the page's inline scripts found independently (by
BeautifulSoup, not by the feature's own scanner), and a build that must stop on an inline handler.
The browser side (no violation on any page, an injected script blocked) is tests/browser/test_csp.py."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from bs4 import BeautifulSoup
from helpers import make_project, run_build

from backpain_site.features.csp import CspError, secure_page, secure_site

EXECUTABLE = {None, "", "text/javascript", "application/javascript", "module"}


def csp_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    metas = soup.find_all("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    assert len(metas) == 1, f"{len(metas)} policy meta tags"
    return {part.split()[0]: part.split()[1:] for part in metas[0]["content"].split(";") if part.strip()}


def inline_script_hashes(soup: BeautifulSoup) -> set[str]:
    """sha256 sources of the inline scripts the browser would run, as the CSP spec hashes them."""
    out = set()
    for script in soup.find_all("script"):
        if script.has_attr("src") or (script.get("type") or "").lower() not in EXECUTABLE:
            continue
        digest = hashlib.sha256(script.string.encode("utf-8") if script.string else b"").digest()
        out.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return out


def test_every_built_page_has_the_policy_before_any_script_and_the_referrer_policy(site):
    pages = site.html_files()
    assert len(pages) >= 20
    problems = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(site.root).as_posix()
        policy_at = text.find('<meta http-equiv="Content-Security-Policy"')
        script_at = text.find("<script")
        if policy_at < 0:
            problems.append(f"{name}: no policy")
            continue
        if not (text.find("<meta charset") < policy_at < text.find("</head>")):
            problems.append(f"{name}: the policy is not right after <meta charset> in <head>")
        if 0 <= script_at < policy_at:
            problems.append(f"{name}: a script comes before the policy")
        soup = BeautifulSoup(text, "html.parser")
        policy = csp_of(soup)
        expected = {
            "default-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'none'"],
            "style-src": ["'self'"],
        }
        for directive, sources in expected.items():
            if policy.get(directive) != sources:
                problems.append(f"{name}: {directive} is {policy.get(directive)}, not {sources}")
        if "'unsafe-inline'" in policy["script-src"] or "'unsafe-eval'" in policy["script-src"]:
            problems.append(f"{name}: script-src allows unsafe code")
        referrer = soup.find_all("meta", attrs={"name": "referrer"})
        if [m["content"] for m in referrer] != ["strict-origin-when-cross-origin"]:
            problems.append(f"{name}: referrer meta is {referrer}")
    assert problems == [], "\n".join(problems)


def test_each_pages_hashes_are_exactly_its_own_inline_scripts(site):
    """Every inline script a page runs is allowed by its hash; no hash allows a script the page does
    not have (a data block such as JSON-LD runs nothing and gets none)."""
    everywhere: set[str] = set()
    seen_data_blocks = 0
    for path in site.html_files():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        scripts = inline_script_hashes(soup)
        allowed = set(csp_of(soup)["script-src"]) - {"'self'"}
        assert allowed == scripts, f"{path.relative_to(site.root)}: allowed {allowed ^ scripts} wrongly"
        everywhere |= scripts
        seen_data_blocks += len(soup.find_all("script", type=re.compile("json")))
    # Material's scope script (one per folder depth), palette script and tabbed-content script.
    assert len(everywhere) >= 3
    assert seen_data_blocks >= 20, "the data blocks this test must leave out were not there to leave out"


PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>t</title>
<script>var a = 1;</script>
<script type="application/ld+json">{"@type": "WebPage"}</script>
<style>p { color: red }</style>
</head><body>
<p>text</p>
<script src="x.js"></script>
<script>var a = 1;</script>
</body></html>
"""


def test_a_page_gets_one_hash_per_distinct_script_and_style_and_none_for_data_or_files():
    out, _ = secure_page(PAGE, "site/x.html")
    policy = csp_of(BeautifulSoup(out, "html.parser"))
    assert policy["script-src"] == [
        "'self'",
        "'sha256-" + base64.b64encode(hashlib.sha256(b"var a = 1;").digest()).decode() + "'",
    ]
    assert policy["style-src"] == [
        "'self'",
        "'sha256-" + base64.b64encode(hashlib.sha256(b"p { color: red }").digest()).decode() + "'",
    ]
    assert out.index("Content-Security-Policy") > out.index('<meta charset="utf-8">')
    assert secure_page(out, "site/x.html")[0] == out, "securing a secured page (build --dirty) adds a second policy"


@pytest.mark.parametrize(
    "bad, line, words",
    [
        ('<button onclick="go()">Go</button>', 10, "inline event handler onclick="),
        ('<a href=" javascript:go()">Go</a>', 10, "javascript: address in href="),
        ('<p style="color: red">Red</p>', 10, "style= attribute"),
        ('<svg><circle onload="go()"/></svg>', 10, "inline event handler onload="),
    ],
)
def test_what_a_policy_would_block_stops_with_file_and_line(bad, line, words):
    with pytest.raises(CspError) as error:
        secure_page(PAGE.replace("<p>text</p>", "<p>text</p>\n" + bad), "site/x.html", "docs/x.md")
    assert str(error.value).startswith(f"site/x.html:{line}: in the page built from docs/x.md: ")
    assert words in str(error.value)


def test_a_script_before_the_charset_or_a_page_without_head_stops_the_build():
    with pytest.raises(CspError, match=r"^site/x.html:3: a <script> comes before <meta charset>"):
        secure_page(PAGE.replace("<html><head>", "<html><head>\n<script>var b;</script>"), "site/x.html")
    with pytest.raises(CspError, match=r"^site/x.html:1: no <head>"):
        secure_page("<p>a fragment</p>", "site/x.html")


MATERIAL_PAGE = PAGE.replace("<p>text</p>", '<div data-md-component="container"><p>text</p></div>')


def test_a_redirect_page_gets_its_own_script_allowed(tmp_path):
    """mkdocs-redirects' pages are no Material pages; each page's policy allows only its own scripts."""
    (tmp_path / "a.html").write_text(MATERIAL_PAGE, encoding="utf-8")
    script = 'var anchor=window.location.hash.substr(1);location.href="../b/"+(anchor?"#"+anchor:"")'
    (tmp_path / "old.html").write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><script>{script}</script></head><body>Moved</body></html>',
        encoding="utf-8",
    )
    hashes = secure_site(tmp_path)
    assert hashes["old.html"] == [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
    ]
    assert len(hashes["a.html"]) == 1


def test_a_page_with_an_inline_handler_fails_the_build_with_one_located_message(tmp_path):
    """Through MkDocs: raw HTML in a page's Markdown with onclick= stops the build (no traceback)."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("features: [citations]", "features: [citations, csp]"))
    page = next(p for p in sorted((project / "docs").glob("*.md")))
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines + ["", '<button onclick="alert(1)">Hi</button>', ""]), encoding="utf-8")
    result = run_build(project, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in log
    url = page.stem + "/index.html" if page.stem != "index" else "index.html"
    assert re.search(
        rf"out/{re.escape(url)}:\d+: in the page built from docs/{page.name}: <button> has an inline event "
        r"handler onclick=",
        log,
    ), log
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.html")), (
        "a half-secured site was published"
    )


def test_mkdocs_serve_checks_pages_but_adds_no_policy_its_live_reload_would_break(tmp_path):
    """mkdocs serve injects `<script>livereload(epoch, request_id)</script>` per request: no hash fits."""
    from types import SimpleNamespace

    from backpain_site.features.csp.build import ContentSecurityPolicy
    from backpain_site.kernel import BuildError
    from backpain_site.kernel.pipeline import Session

    (tmp_path / "docs").mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text(MATERIAL_PAGE, encoding="utf-8")
    config = SimpleNamespace(site_dir=str(site), docs_dir=str(tmp_path / "docs"))
    serving = SimpleNamespace(config=config, files=None, root=tmp_path, session=Session(command="serve"))
    ContentSecurityPolicy().post_build(serving)
    assert (site / "a.html").read_text(encoding="utf-8") == MATERIAL_PAGE
    (site / "b.html").write_text(MATERIAL_PAGE.replace("<p>text</p>", '<p onclick="x()">text</p>'), encoding="utf-8")
    with pytest.raises(BuildError, match=r"^site/b.html:\d+: <p> has an inline event handler onclick="):
        ContentSecurityPolicy().post_build(serving)
    (site / "b.html").unlink()
    building = SimpleNamespace(config=config, files=None, root=tmp_path, session=Session(command="build"))
    ContentSecurityPolicy().post_build(building)
    assert "Content-Security-Policy" in (site / "a.html").read_text(encoding="utf-8")
