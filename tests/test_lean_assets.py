"""lean_assets: our served scripts and stylesheet lose comments and indentation, never meaning."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from backpain_site.features import lean_assets
from backpain_site.features.lean_assets import ShrinkError, shrink_css, shrink_js, shrink_site

ROOT = Path(__file__).resolve().parent.parent
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
console.log(JSON.stringify([url, path, "a//b".replace(re, "-"), cls.test("*"), half, tpl, f()]));
"""


def node_output(code: str, tmp_path: Path, name: str) -> str:
    script = tmp_path / name
    script.write_text(code, encoding="utf-8")
    return subprocess.run([NODE, str(script)], capture_output=True, text=True, check=True).stdout


def test_js_comments_and_indentation_go_strings_and_regexes_stay():
    out = shrink_js(TRICKY_JS)
    assert "a line comment" not in out and "a block" not in out and "two divisions" not in out
    assert "http://example.org/*not a comment*/" in out
    assert "'//still a string'" in out
    assert r"/\/\/[a-z]*\/*x/g" in out and "/[/*]+/" in out
    assert "  // kept: inside a template literal" in out  # a template literal keeps its lines as written
    assert not re.search(r"^[ \t]", out.split("`")[0], re.M)  # no indentation before the template
    assert "\n\n" not in out


@pytest.mark.skipif(not NODE, reason="node is needed to run the scripts")
def test_js_runs_the_same_before_and_after(tmp_path):
    assert node_output(shrink_js(TRICKY_JS), tmp_path, "after.js") == node_output(TRICKY_JS, tmp_path, "before.js")


@pytest.mark.skipif(not NODE, reason="node is needed to parse the scripts")
@pytest.mark.parametrize("asset", [a for a in lean_assets.ASSETS if a.endswith(".js")])
def test_each_shrunk_script_parses_and_is_smaller(asset, tmp_path):
    source = (DOCS / asset).read_text(encoding="utf-8")
    out = shrink_js(source, asset)
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


def test_css_keeps_meaningful_spaces_and_strings():
    css = """/* header */
@media screen and (max-width: 44em) {
  .a :hover ,  .b > .c { content: "  two  spaces /* not a comment */ "; }
  .d { background: url(data:image/svg+xml;utf8,<svg a='1'  b='2'/>) ; }
}
"""
    out = shrink_css(css)
    assert "header" not in out
    assert "@media screen and (max-width: 44em){" in out  # "and(" would be a function token
    assert ".a :hover,.b > .c{" in out  # a space before ":" is a descendant combinator
    assert '"  two  spaces /* not a comment */ "' in out
    assert "url(data:image/svg+xml;utf8,<svg a='1'  b='2'/>)" in out
    assert ";}" not in out and "\n" not in out.rstrip("\n")


def test_site_css_loses_only_comments_and_whitespace():
    source = (DOCS / "assets" / "site.css").read_text(encoding="utf-8")
    out = shrink_css(source, "assets/site.css")
    without_comments = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    squash = lambda text: re.sub(r"\s|;(?=\s*})", "", text)  # noqa: E731
    assert squash(out) == squash(without_comments)
    assert len(out) < 0.65 * len(source)


@pytest.mark.parametrize("shrink, text, problem", [
    (shrink_js, "var a = 1;\n/* never closed\nvar b;", "assets/x.js:2: unclosed comment"),
    (shrink_js, 'var a = 1;\nvar s = "open;\n', "assets/x.js:2: unclosed string"),
    (shrink_js, "var a = 1;\nvar r = /open;\n", "assets/x.js:2: unclosed regular expression"),
    (shrink_css, ".a { color: red }\n/* never closed", "assets/x.js:2: unclosed comment"),
])
def test_unreadable_input_stops_with_file_and_line(shrink, text, problem):
    with pytest.raises(ShrinkError) as raised:
        shrink(text, "assets/x.js")
    assert str(raised.value) == problem


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
    once = shrink((DOCS / asset).read_text(encoding="utf-8"), asset)
    assert shrink(once, asset) == once
