"""Read BibTeX files with line numbers, and report every fault where it really is.

pybtex reads a file well but reports a fault with a traceback that names no file and points at
the line of the *next* entry (a missing "}" swallows everything up to the next "@"). This scanner
reads the same syntax, remembers where each entry and field starts, reports each fault at its
own line, recovers at the next entry so one run reports them all, and keeps the source text of
each entry so pybtex can later parse only the entries the site cites (fast with a big library).

Why not bibtexparser 2, which is also fault-tolerant? Not measured here side by side (it is not a
dependency), so only what is known: it too ends an open entry when a new one starts at the start of
a line (sciunto-org/python-bibtexparser PR #416) and hands back unparsable blocks as failed blocks;
it does not say which field swallowed the next ones, and its entries would still have to be parsed
again by pybtex for formatting. This scanner's located messages are tested on the real-world files
in tests/fixtures/real-world/ (test_citation_real_world.py); a swap would need the same tests.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

MONTHS = {m: m for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")}

AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
SPACE = re.compile(r"\s*")
KEY = re.compile(r"[^\s,{}\"\\]+")  # what BibTeX and biber take as a key
NAME = re.compile(r"[^\s=,{}()\"#%'~\\]+")
NUMBER = re.compile(r"\d+")
# Inside a braced value: a brace, or a new entry starting on its own line (a "}" went missing).
BRACE_OR_ENTRY = re.compile(r"[{}]|\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]")
# Fast paths for the common, well-formed case (a 10,000-entry export must not take seconds):
# a whole entry of `name = {value}` / `"value"` / number fields (braces nested up to 3 deep) is
# recognised by one regular expression, and so is one such field. Anything else (macros, `#`,
# deeper nesting, and every fault) goes through the careful code below, which locates faults.
_NEST = r"(?>[^{}]++|\{(?>[^{}]++|\{(?>[^{}]++|\{[^{}]*+\})*+\})*+\})*+"
_FIELD = r"""([A-Za-z][\w:.+/-]*+)\s*+=\s*+(?:\{(""" + _NEST + r""")\}|"([^"{}]*+)"|(\d++))"""
FAST_FIELD = re.compile(r"\s*+" + _FIELD + r"\s*+([,}])")
FIELDS = re.compile(_FIELD)
_BODY = re.sub(r"\((?!\?)", "(?:", _FIELD)  # same, without capturing groups
FAST_ENTRY = re.compile(
    r"""\s*+([^\s,{}"\\]++)\s*+,(?:\s*+""" + _BODY + r"""\s*+,)*+(?:\s*+""" + _BODY + r""")?\s*+\}"""
)
# "@article{smith 2020," : a key written with spaces (group 2: its last word).
KEY_WITH_SPACES = re.compile(r"((?:[^\s,{}\"\\=]+[ \t]+)+([^\s,{}\"\\=]+))[ \t]*,")
FIELD_START = re.compile(r"[A-Za-z][\w:.+/-]*[ \t\r\n]*=")  # "title =": a field begins
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RUNAWAY = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]")
# A field assignment on a later line of a value: the value swallowed the fields after it.
SWALLOWED = re.compile(r"\n[ \t]*[A-Za-z][\w-]*[ \t]*=")
QUOTE_OR_ENTRY = re.compile(r'[{}"]|\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]')


@dataclass
class Entry:
    type: str
    key: str
    file: str
    line: int
    start: int  # offsets of the whole "@type{...}" in the file's text
    end: int
    fields: dict[str, str] = field(default_factory=dict)  # name -> value (macros expanded, no delimiters)
    field_pos: dict[str, int] = field(default_factory=dict)  # name -> offset, found on demand
    scanner: _Scanner | None = field(default=None, repr=False, compare=False)

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def field_line(self, name: str) -> int:
        """The line of a field (looked up only when a message needs it)."""
        if name not in self.field_pos and self.scanner is not None:
            for m in FIELDS.finditer(self.scanner.text, self.start, self.end):
                self.field_pos.setdefault(m.group(1).lower(), m.start())
        pos = self.field_pos.get(name)
        return self.scanner.line(pos) if pos is not None and self.scanner else self.line


@dataclass
class BibFile:
    path: str  # as shown in messages, e.g. "references.bib"
    text: str
    entries: list[Entry] = field(default_factory=list)
    macros: list[tuple[int, int]] = field(default_factory=list)  # spans of @string/@preamble blocks
    problems: list[Problem] = field(default_factory=list)  # every fault found while reading
    broken: set[str] = field(default_factory=set)  # keys of entries that could not be read
    # The entry each problem belongs to (None: outside any entry). A problem in an entry no page
    # cites is only a warning: an editor may drop in a whole reference-manager export.
    problem_key: dict[Problem, str | None] = field(default_factory=dict)
    fatal: list[Problem] = field(default_factory=list)  # the file cannot be read at all


class _Fault(Exception):
    def __init__(self, pos: int, message: str):
        super().__init__(message)
        self.pos = pos
        self.message = message


class _Scanner:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.strings: dict[str, str] = dict(MONTHS)
        self.key_in_progress: str | None = None

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip_space(self, pos: int) -> int:
        match = SPACE.match(self.text, pos)  # \s* matches at every position
        return match.end() if match else pos

    def fault(self, pos: int, message: str) -> _Fault:
        return _Fault(pos, message)

    def describe(self, pos: int) -> str:
        if pos >= len(self.text):
            return "the end of the file"
        token = re.match(r"\S{1,20}", self.text[pos:])
        return repr(token.group(0)) if token else repr(self.text[pos])

    # --- values -------------------------------------------------------------------------
    def braced(self, pos: int, name: str) -> tuple[str, int]:
        """`pos` is just after an opening "{"; returns (content, position after the closing "}")."""
        return self.delimited(pos, name, "}")

    def quoted(self, pos: int, name: str) -> tuple[str, int]:
        """`pos` is just after an opening '"'; braces inside must balance."""
        return self.delimited(pos, name, '"')

    def delimited(self, pos: int, name: str, closer: str) -> tuple[str, int]:
        opener = "{" if closer == "}" else '"'
        depth = 1 if closer == "}" else 0
        start, open_line = pos, self.line(pos - 1)
        tokens = BRACE_OR_ENTRY if closer == "}" else QUOTE_OR_ENTRY
        runaway = None  # the first line inside the value that starts like an entry ("@name{")
        for m in tokens.finditer(self.text, pos):
            tok = m.group(0)
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth -= 1
                if depth < 0:  # a quoted value ran on past where it should have ended
                    raise self.fault(
                        pos - 1,
                        (
                            f'field "{name}": the \'"\' opened on line {open_line} is not closed before the "}}" on '
                            f"line {self.line(m.start())} (a missing closing '\"' on line {open_line}?)"
                        ),
                    )
                if depth == 0 and closer == "}":
                    value = self.text[start : m.start()]
                    # BibTeX and pybtex read "@name{" inside balanced braces as text (an abstract
                    # quoting a handle); only a value that swallowed fields lost its "}".
                    if runaway is not None and SWALLOWED.search(self.text, runaway, m.start()):
                        raise self._runaway(pos, name, opener, closer, open_line, runaway)
                    return value, m.end()
            elif tok == '"':
                if depth == 0:
                    return self.text[start : m.start()], m.end()
            elif closer == "}":
                runaway = m.start() if runaway is None else runaway
                depth += tok.endswith("{")  # its "{" counts like any other
            else:
                raise self._runaway(pos, name, opener, closer, open_line, m.start())
        if runaway is not None:
            raise self._runaway(pos, name, opener, closer, open_line, runaway)
        raise self.fault(pos - 1, f'field "{name}": the "{opener}" opened on line {open_line} is never closed')

    def _runaway(self, pos: int, name: str, opener: str, closer: str, open_line: int, at: int) -> _Fault:
        return self.fault(
            pos - 1,
            (
                f'field "{name}": the "{opener}" opened on line {open_line} is not closed before the next '
                f'entry starts on line {self.line(at + 1)} (a missing "{closer}"?)'
            ),
        )

    def value(self, pos: int, name: str) -> tuple[str, int]:
        """A field value: parts joined by '#'. Returns (expanded text, position after it)."""
        parts = []
        while True:
            pos = self.skip_space(pos)
            ch = self.text[pos : pos + 1]
            if ch == "{":
                part, pos = self.braced(pos + 1, name)
            elif ch == '"':
                part, pos = self.quoted(pos + 1, name)
            elif m := NUMBER.match(self.text, pos):
                part, pos = m.group(0), m.end()
            elif m := NAME.match(self.text, pos):
                macro = m.group(0).lower()
                if macro not in self.strings:
                    raise self.fault(
                        pos,
                        f'field "{name}": unknown @string macro "{m.group(0)}" '
                        f'(a value must be in {{braces}} or "quotes")',
                    )
                part, pos = self.strings[macro], m.end()
            else:
                raise self.fault(pos, f'field "{name}": expected a value, found {self.describe(pos)}')
            parts.append(part)
            after = self.skip_space(pos)
            if self.text[after : after + 1] != "#":
                return "".join(parts), pos
            pos = after + 1

    # --- blocks -------------------------------------------------------------------------
    def fields(self, pos: int, close: str, entry_name: str) -> tuple[list[tuple[str, str, int]], int]:
        """Fields up to the closing delimiter. Returns ([(name, value, offset of name)], position after it)."""
        found = []
        while True:
            if close == "}" and (fast := FAST_FIELD.match(self.text, pos)):
                braced = fast.group(2)
                if braced is None or "@" not in braced or not RUNAWAY.search(braced):
                    value = (
                        braced if braced is not None else fast.group(3) if fast.group(3) is not None else fast.group(4)
                    )
                    found.append((fast.group(1).lower(), value, fast.start(1)))
                    if fast.group(5) == "}":
                        return found, fast.end()
                    pos = fast.end()
                    continue
            pos = self.skip_space(pos)
            if self.text.startswith(close, pos):
                return found, pos + 1
            m = NAME.match(self.text, pos)
            if not m:
                raise self.fault(pos, f'{entry_name}: expected a field name or "{close}", found {self.describe(pos)}')
            name, name_pos = m.group(0).lower(), pos
            pos = self.skip_space(m.end())
            if self.text[pos : pos + 1] != "=":
                raise self.fault(
                    pos, f'{entry_name}: expected "=" after field name "{m.group(0)}", found {self.describe(pos)}'
                )
            value_start = self.skip_space(pos + 1)
            value, value_end = self.value(pos + 1, name)
            found.append((name, value, name_pos))
            pos = self.skip_space(value_end)
            if self.text.startswith(close, pos):
                return found, pos + 1
            if self.text[pos : pos + 1] != "," and SWALLOWED.search(value):
                # "title = {Text," with its "}" missing: the value ran on to the entry's closing "}".
                opener = self.text[value_start]
                closer = "}" if opener == "{" else '"'
                first = self.line(value_start)
                raise self.fault(
                    value_start,
                    (
                        f'field "{name}": the "{opener}" opened on line {first} is only closed on line '
                        f"{self.line(value_end - 1)}, so the fields after it became part of its text "
                        f'(a missing closing "{closer}" on line {first}?)'
                    ),
                )
            if self.text[pos : pos + 1] != ",":
                raise self.fault(
                    value_end,
                    f'{entry_name}: expected "," or "{close}" after field "{name}", '
                    f"found {self.describe(pos)} (a missing comma?)",
                )
            pos += 1

    def scan(self) -> BibFile:
        out = BibFile(self.path, self.text)
        pos = 0
        while m := AT.search(self.text, pos):
            kind, close = m.group(1).lower(), ")" if m.group(2) == "(" else "}"
            start = m.start()
            self.key_in_progress = None
            try:
                if kind == "comment":
                    pos = self.skip_comment(m.end(), close)
                elif kind == "preamble":
                    _, pos = self.value(m.end(), "@preamble")
                    pos = self.expect_close(pos, close, "@preamble")
                    out.macros.append((start, pos))
                elif kind == "string":
                    found, pos = self.fields(m.end(), close, "@string")
                    for name, value, _ in found:
                        self.strings[name] = value
                    out.macros.append((start, pos))
                else:
                    pos = self.entry(m, kind, close, out)
            except _Fault as fault:
                if self.key_in_progress:
                    out.broken.add(self.key_in_progress)
                problem = Problem(self.path, self.line(fault.pos), fault.message)
                out.problems.append(problem)
                out.problem_key[problem] = self.key_in_progress
                nxt = re.compile(r"\n[ \t]*@").search(self.text, max(fault.pos, m.end()) - 1)
                pos = nxt.start() + 1 if nxt else len(self.text)
        if CONTROL.search(self.text):
            self.control_characters(out)
        return out

    def control_characters(self, out: BibFile) -> None:
        """A control character (NUL, ...) is never text a reader should get: one error per entry."""
        starts = [e.start for e in out.entries]
        seen: set = set()
        for m in CONTROL.finditer(self.text):
            i = bisect.bisect_right(starts, m.start()) - 1
            entry = out.entries[i] if i >= 0 and out.entries[i].start <= m.start() < out.entries[i].end else None
            if (entry and entry.key) in seen:
                continue
            seen.add(entry and entry.key)
            where = f'entry "{entry.key}"' if entry else "the file"
            problem = Problem(
                self.path,
                self.line(m.start()),
                (
                    f"{where} contains the control character U+{ord(m.group(0)):04X}, which is not text "
                    f"(a damaged file or a bad copy and paste?); delete it"
                ),
            )
            out.problems.append(problem)
            out.problem_key[problem] = entry.key if entry else None

    def skip_comment(self, pos: int, close: str) -> int:
        if close == ")":
            end = self.text.find(")", pos)
            return len(self.text) if end < 0 else end + 1
        _, pos = self.braced(pos, "@comment")
        return pos

    def expect_close(self, pos: int, close: str, what: str) -> int:
        pos = self.skip_space(pos)
        if not self.text.startswith(close, pos):
            raise self.fault(pos, f'{what}: expected "{close}", found {self.describe(pos)}')
        return pos + 1

    def _bad_key(self, kind: str, pos: int, k: re.Match | None, after: int) -> _Fault:
        """The key as the editor wrote it, and what is wrong with it."""
        spaced = KEY_WITH_SPACES.match(self.text, pos)
        if spaced and not FIELD_START.match(self.text, spaced.start(2)):
            written = " ".join(spaced.group(1).split())
            self.key_in_progress = written
            return self.fault(
                pos,
                (
                    f'@{kind} entry "{written}": a citation key cannot contain a space (BibTeX and biber end '
                    f'the key at the first one); write it without spaces, e.g. "{written.replace(" ", "")}"'
                ),
            )
        if k and FIELD_START.match(self.text, after):
            return self.fault(
                pos,
                (
                    f'@{kind} entry "{k.group(0)}": no comma after the key (the fields start at '
                    f'{self.describe(after)} on line {self.line(after)}); write "@{kind}{{{k.group(0)},"'
                ),
            )
        return self.fault(
            pos, f'@{kind} entry has no citation key: expected "@{kind}{{key,", found {self.describe(pos)}'
        )

    def fast_entry(self, m: re.Match, kind: str, out: BibFile) -> int | None:
        """A well-formed entry in one step; None when the careful path must look at it."""
        fast = FAST_ENTRY.match(self.text, m.end())
        if not fast:
            return None
        if self.text.find("@", m.end(), fast.end()) >= 0 and RUNAWAY.search(self.text, m.end(), fast.end()):
            return None
        found = FIELDS.findall(self.text, fast.end(1), fast.end())
        fields = {name.lower(): braced or quoted or number for name, braced, quoted, number in found}
        if len(fields) != len(found):
            return None  # a field twice: the careful path says where
        out.entries.append(
            Entry(kind, fast.group(1), self.path, self.line(m.start()), m.start(), fast.end(), fields, scanner=self)
        )
        return fast.end()

    def entry(self, m: re.Match, kind: str, close: str, out: BibFile) -> int:
        if close == "}" and (end := self.fast_entry(m, kind, out)) is not None:
            return end
        pos = self.skip_space(m.end())
        k = KEY.match(self.text, pos)
        self.key_in_progress = k.group(0) if k else None
        after = self.skip_space(k.end()) if k else pos
        if not k or self.text[after : after + 1] not in (",", close):
            raise self._bad_key(kind, pos, k, after)
        key = k.group(0)
        self.key_in_progress = key
        entry = Entry(kind, key, self.path, self.line(m.start()), m.start(), 0, scanner=self)
        pos = after + 1 if self.text[after] == "," else after
        found, pos = self.fields(pos, close, f'entry "{key}"')
        for name, value, name_pos in found:
            if name in entry.fields:
                raise self.fault(
                    name_pos,
                    f'entry "{key}": field "{name}" appears twice '
                    f"(lines {self.line(entry.field_pos[name])} and {self.line(name_pos)})",
                )
            entry.fields[name] = value
            entry.field_pos[name] = name_pos
        entry.end = pos
        out.entries.append(entry)
        return pos


def scan_text(text: str, path: str) -> BibFile:
    """Scan BibTeX source; `path` is how messages name the file."""
    return _Scanner(text, path).scan()


def scan_file(path: Path, shown_as: str) -> BibFile:
    try:
        data = path.read_bytes()
    except OSError as err:
        bib = BibFile(shown_as, "")
        bib.fatal.append(Problem(shown_as, 0, f"cannot be read: {err.strerror}"))
        bib.problems.extend(bib.fatal)
        return bib
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bib = BibFile(shown_as, "")
        bib.fatal.append(Problem(shown_as, data[: err.start].count(b"\n") + 1, _not_utf8(data, err)))
        bib.problems.extend(bib.fatal)
        return bib
    return scan_text(text, shown_as)


def _not_utf8(data: bytes, err: UnicodeDecodeError) -> str:
    """The one message for a file in another encoding: the cause first, then how to fix it."""
    line_start = data.rfind(b"\n", 0, err.start) + 1
    line_end = data.find(b"\n", err.start)
    line = data[line_start : line_end if line_end >= 0 else len(data)]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        guess = "it is saved as UTF-16"
    else:
        guess = f'it looks like Latin-1/Windows-1252 ("{line.decode("cp1252", "replace").strip()[:60]}")'
    return (
        f"the file is not UTF-8 text (byte 0x{data[err.start]:02X}; {guess}), so none of it was read; "
        f"save it as UTF-8 (Zotero, JabRef and Mendeley offer UTF-8 when exporting)"
    )
