"""lean_assets: our served scripts and stylesheet lose comments and whitespace (rjsmin, rcssmin), never meaning."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from backpain_site.features import lean_assets
from backpain_site.features.lean_assets import ShrinkError, shrink_css, shrink_js, shrink_site

DOCS = ROOT / "docs"
NODE = shutil.which("node")

TRICKY_JS = r"""
// a line comment
var url = "http://example.org/*not a comment*/"; /* a block
comment over two lines */ var path = '//still a string';
var re = /\/\/[a-z]*\/*x/g;      // a regular expression with slashes and stars in it
var cls = /[/*]+/;               /* a slash inside a character class */
var half = 10 / 2 / 5;           // two divisions, not a regular expression
var tpl = `line one
  // kept: inside a template literal
line three`;
function f() { return /a\/*b/.test("a/b"); }  // after "return", a slash starts a regular expression
var went = []; function go() { went.push("go"); return true; } var a = 1, b = "x//y";
if (a) /[//]/.test(b) && go(); var keep = 1;  // after ")", a regular expression (the old shrinker cut here)
console.log(JSON.stringify([url, path, "a//b".replace(re, "-"), cls.test("*"), half, tpl, f(), went, keep]));
"""
# The line the home-made shrinker truncated to `if (a) /[` (issue 20): a regular expression after ")".
AFTER_PAREN = "if (a) /[//]/.test(b) && go(); var keep = 1;"


def node_output(code: str, tmp_path: Path, name: str) -> str:
    script = tmp_path / name
    script.write_text(code, encoding="utf-8")
    return subprocess.run([NODE, str(script)], capture_output=True, text=True, check=True).stdout


def test_js_comments_and_whitespace_go_strings_and_regexes_stay():
    out = shrink_js(TRICKY_JS)
    assert "a line comment" not in out and "a block" not in out and "two divisions" not in out
    assert "http://example.org/*not a comment*/" in out
    assert "'//still a string'" in out
    assert r"/\/\/[a-z]*\/*x/g" in out and "/[/*]+/" in out
    assert "  // kept: inside a template literal" in out  # a template literal keeps its lines as written
    assert not re.search(r"^[ \t]", out.split("`")[0], re.M)  # no indentation before the template
    assert "\n\n" not in out


def test_a_regular_expression_after_a_parenthesis_survives_whole():
    assert shrink_js(AFTER_PAREN) == "if(a)/[//]/.test(b)&&go();var keep=1;\n"


@pytest.mark.skipif(not NODE, reason="node is needed to run the scripts")
def test_js_runs_the_same_before_and_after(tmp_path):
    assert node_output(shrink_js(TRICKY_JS), tmp_path, "after.js") == node_output(TRICKY_JS, tmp_path, "before.js")


@pytest.mark.skipif(not NODE, reason="node is needed to parse the scripts")
@pytest.mark.parametrize("asset", [a for a in lean_assets.ASSETS if a.endswith(".js")])
def test_each_shrunk_script_parses_and_is_smaller(asset, tmp_path):
    source = (DOCS / asset).read_text(encoding="utf-8")
    out = shrink_js(source)
    script = tmp_path / Path(asset).name
    script.write_text(out, encoding="utf-8")
    checked = subprocess.run([NODE, "--check", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert len(out) < 0.8 * len(source)
    assert "/*" not in out.split('"use strict"')[0]  # the header comment is gone
    # Only whitespace and comments went: the code's own characters are all there, in order.
    assert re.sub(r"\s", "", out) in re.sub(r"\s", "", source.replace("\n", " ")) or _same_code(source, out)


def _same_code(source: str, out: str) -> bool:
    """The shrunk code's non-space characters form a subsequence of the source's."""
    it = iter(re.sub(r"\s", "", source))
    return all(ch in it for ch in re.sub(r"\s", "", out))


# Data URIs as the site writes them: quoted SVG (quotes, spaces, "//", ";" and "/*" inside) and bare base64.
SVG_URI = (
    "url(\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 2 2'>"
    "<path d='M0 0 L2 2' stroke='%23000'/><text>/* x */ a;  b</text></svg>\")"
)
PNG_URI = "url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==)"


def test_css_keeps_meaningful_spaces_strings_and_data_uris():
    css = f"""/* header */
@media screen and (max-width: 44em) {{
  .a :hover ,  .b > .c {{ content: "  two  spaces /* not a comment */ "; }}
  .d {{ background: {SVG_URI} ; }}
  .e {{ background-image: {PNG_URI}, {SVG_URI}; }}
}}
"""
    out = shrink_css(css)
    assert "header" not in out
    assert "@media screen and (max-width:44em){" in out  # "and(" would be a function token
    assert ".a :hover,.b>.c{" in out  # a space before ":" is a descendant combinator
    assert '"  two  spaces /* not a comment */ "' in out
    assert out.count(SVG_URI) == 2 and PNG_URI in out  # data URIs byte for byte
    assert ";}" not in out and "\n" not in out.rstrip("\n")


def test_site_css_loses_only_comments_and_whitespace():
    source = (DOCS / "assets" / "site.css").read_text(encoding="utf-8")
    out = shrink_css(source)
    without_comments = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    squash = lambda text: re.sub(r"\s|;(?=\s*})", "", text)  # noqa: E731
    assert squash(out) == squash(without_comments)
    assert len(out) < 0.65 * len(source)


def test_an_unreadable_asset_stops_the_build_with_file_and_line(tmp_path):
    """The post_build step's message: docs/<asset>:<line>: what is wrong (one line, no traceback)."""
    from types import SimpleNamespace

    from backpain_site.features.lean_assets.build import LeanAssets
    from backpain_site.kernel import BuildError

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "x.js").write_bytes(b"var a = 1;\nvar s = '\xe9';\n")
    config = SimpleNamespace(site_dir=str(tmp_path), extra_css=[], extra_javascript=["assets/x.js"])
    build = SimpleNamespace(config=config, docs=ROOT / "docs")
    with pytest.raises(BuildError) as raised:
        LeanAssets().post_build(build)
    assert str(raised.value) == "docs/assets/x.js:2: not UTF-8 text; save it as UTF-8"


def test_shrink_site_rewrites_the_copies_in_place(tmp_path):
    for asset in lean_assets.ASSETS:
        target = tmp_path / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS / asset, target)
    sizes = shrink_site(tmp_path)
    assert set(sizes) == set(lean_assets.ASSETS)
    for asset, (before, after) in sizes.items():
        assert after < before
        assert (tmp_path / asset).stat().st_size == after
        assert (DOCS / asset).stat().st_size == before  # the sources are untouched


def test_shrink_site_names_a_missing_asset(tmp_path):
    with pytest.raises(ShrinkError, match=r"assets/site\.css: not in the built site"):
        shrink_site(tmp_path)


@pytest.mark.parametrize("asset", lean_assets.ASSETS)
def test_shrinking_twice_changes_nothing(asset):
    """The pipeline may call shrink_site on a site the benchmark already shrank (or twice on serve)."""
    shrink = shrink_css if asset.endswith(".css") else shrink_js
    once = shrink((DOCS / asset).read_text(encoding="utf-8"))
    assert shrink(once) == once
