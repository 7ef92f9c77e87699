"""Smaller served scripts and stylesheet: comments and indentation out, meaning untouched.

The sources in docs/assets/ stay commented for the people who read them; a phone on a slow network
needs only the code. After `mkdocs build` has copied them into the site, `shrink_site(site_dir)`
rewrites the site's copies in place (about half their size; a quarter to a third less once gzipped).

The shrinking is deliberately conservative, so that it can never change what the code does:
* JavaScript: comments go, leading indentation and trailing spaces go, blank lines go; line breaks
  stay (no automatic-semicolon surprise), and strings, template literals and regular expression
  literals are copied untouched.
* CSS: comments go, runs of whitespace become one space, and the spaces around `{`, `}`, `;` and
  `,` go (never a space before `(` or around `:`, which can carry meaning: `and (`, `a :hover`);
  strings and `url(...)` are copied untouched.
A file the shrinker cannot read safely (an unclosed comment, string or regular expression) raises
`ShrinkError` naming the file and line: the build stops with one clear message instead of
publishing broken code.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["ShrinkError", "shrink_css", "shrink_js", "shrink_site", "ASSETS"]

# The project's own assets, relative to the site folder (Material's are minified already).
ASSETS = ("assets/site.css", "assets/citations.js", "assets/glossary.js", "assets/share.js", "assets/report.js")

# After one of these characters (or at the start), a "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_KEYWORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw",
                   "instanceof", "yield", "await"}


class ShrinkError(ValueError):
    """A script or stylesheet the shrinker cannot read safely (message names file and line)."""


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _skip_string(text: str, i: int, name: str) -> int:
    """Index just past the string (or template literal) that starts at text[i]."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == quote:
            return j + 1
        if c == "\n" and quote != "`":
            break
        j += 1
    raise ShrinkError(f"{name}:{_line(text, i)}: unclosed string")


def _skip_regex(text: str, i: int, name: str) -> int:
    """Index just past the regular expression literal (and its flags) that starts at text[i]."""
    j = i + 1
    in_class = False
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "\n":
            break
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            j += 1
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            return j
        j += 1
    raise ShrinkError(f"{name}:{_line(text, i)}: unclosed regular expression")


def _regex_allowed(out: list[str]) -> bool:
    """Whether a "/" here starts a regular expression, judged by the code kept so far."""
    code = "".join(out[-40:]).rstrip()
    if not code:
        return True
    if code[-1] in _REGEX_AFTER:
        return True
    word = ""
    for c in reversed(code):
        if c.isalnum() or c in "_$":
            word = c + word
        else:
            break
    return word in _REGEX_KEYWORDS


_KEPT_NEWLINE = "\ue000"  # stands for a line break inside a template literal while lines are trimmed


def shrink_js(text: str, name: str = "<script>") -> str:
    """The script without comments, indentation, trailing spaces and blank lines."""
    if _KEPT_NEWLINE in text:
        raise ShrinkError(f"{name}:{_line(text, text.index(_KEPT_NEWLINE))}: U+E000 in the script")
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c in "'\"`":
            j = _skip_string(text, i, name)
            # A template literal's line breaks and indentation are part of its value: keep them.
            out.append(text[i:j].replace("\n", _KEPT_NEWLINE))
            i = j
        elif c == "/" and nxt == "*":
            j = text.find("*/", i + 2)
            if j < 0:
                raise ShrinkError(f"{name}:{_line(text, i)}: unclosed comment")
            # A comment between two words must still separate them.
            out.append("\n" if "\n" in text[i:j] else " ")
            i = j + 2
        elif c == "/" and nxt == "/":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "/" and _regex_allowed(out):
            j = _skip_regex(text, i, name)
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    lines = ("".join(out)).split("\n")
    kept = []
    for line in lines:
        line = line.strip()
        if line:
            # Inner runs of spaces outside strings are left alone: cheap once gzipped, and safe.
            kept.append(line)
    return "\n".join(kept).replace(_KEPT_NEWLINE, "\n") + "\n"


def shrink_css(text: str, name: str = "<stylesheet>") -> str:
    """The stylesheet without comments and without the whitespace that carries no meaning."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            j = _skip_string(text, i, name)
            out.append(text[i:j])
            i = j
        elif c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ShrinkError(f"{name}:{_line(text, i)}: unclosed comment")
            out.append(" ")
            i = j + 2
        elif text.startswith("url(", i) and not text.startswith(("url('", 'url("'), i):
            j = text.find(")", i)
            if j < 0:
                raise ShrinkError(f"{name}:{_line(text, i)}: unclosed url(")
            out.append(text[i:j + 1])
            i = j + 1
        elif c.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            out.append(" ")
            i = j
        else:
            out.append(c)
            i += 1
    # Second pass over tokens: drop spaces next to { } ; , and a ; just before }.
    tokens = out
    result: list[str] = []
    for k, tok in enumerate(tokens):
        if tok == " ":
            prev = result[-1][-1:] if result else ""
            following = tokens[k + 1][:1] if k + 1 < len(tokens) else ""
            if not prev or prev in "{};," or following in "{};," or not following:
                continue
        if tok == "}" and result and result[-1] == ";":
            result.pop()
        result.append(tok)
    return "".join(result).strip() + "\n"


def shrink_site(site_dir: str | Path, assets: tuple[str, ...] = ASSETS) -> dict[str, tuple[int, int]]:
    """Shrink the site's copies of our assets in place; returns {path: (bytes before, bytes after)}.

    A listed asset missing from the site raises ShrinkError: a renamed script must not silently go
    unshrunk (or be left out of the list)."""
    site = Path(site_dir)
    sizes: dict[str, tuple[int, int]] = {}
    for rel in assets:
        path = site / rel
        if not path.is_file():
            raise ShrinkError(f"{path}: not in the built site (lean_assets.ASSETS lists it)")
        text = path.read_text(encoding="utf-8")
        shrunk = shrink_css(text, rel) if rel.endswith(".css") else shrink_js(text, rel)
        path.write_text(shrunk, encoding="utf-8")
        sizes[rel] = (len(text.encode("utf-8")), len(shrunk.encode("utf-8")))
    return sizes
