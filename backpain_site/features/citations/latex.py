"""LaTeX in BibTeX fields to the Unicode text a reader expects.

pybtex (through latexcodec) decodes accents, but leaves `\\TeX`, `\\emph{}`, `\\mbox{}`,
`\\noopsort{}`, `\\url{}` and unknown commands in the text, drops everything after a bare `%`, and
its styles change the case of titles. This converter turns a field into plain Unicode:

* accents (`{\\'e}`, `\\'{e}`, `{\\i}`, `\\c{c}`, `\\=P`, `\\v{s}` ...) and letters (`\\ss`, `\\o`,
  `\\ae`, `\\l` ...) become the characters they stand for (composed, NFC);
* `--`/`---` become en/em dashes, `~` a no-break space, ``` ``x'' ``` curly quotes;
* `\\emph{}`/`\\textit{}` become italics (marked with ITALIC_ON/ITALIC_OFF, which the renderer
  turns into <em>), other text commands (`\\mbox`, `\\textbf`, `\\textsc`, `\\url` ...) keep their
  text, `\\noopsort{...}` (a sorting trick) disappears;
* simple math (`$\\alpha$`, `$x^2$`, `$\\geq$`) becomes Unicode;
* braces are dropped (capitalisation is kept as written anyway: see style.py);
* an unknown command keeps its argument text and is reported, so nothing reaches the reader as a
  raw `\\command` or a stray brace.

Why not pylatexenc's latex2text? It renders plain text, so `\\emph{}` loses its italics, and by design
it gives an unknown macro no arguments and drops it without a word (phfaist/pylatexenc issue #60),
where the editor here is told which entry has it. Not compared on every field of the real-world
files (pylatexenc is not a dependency): that claim rests on its documented behaviour.
"""

from __future__ import annotations

import re
import unicodedata

ITALIC_ON, ITALIC_OFF = "\ue001", "\ue002"
# `\href{url}{text}` and `\url{url}` become LINK_ON + the url as hex + LINK_MID + text + LINK_OFF
# (hex: nothing in it is escaped on the way), which the renderer turns into a link (http/https only).
LINK_ON, LINK_MID, LINK_OFF = "\ue003", "\ue004", "\ue005"
LINK = re.compile(LINK_ON + "([0-9a-f]*)" + LINK_MID + "(.*?)" + LINK_OFF, re.S)

ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
SYMBOLS = {
    "i": "ı",
    "j": "ȷ",
    "ss": "ß",
    "SS": "SS",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "",
    "}": "",
    " ": " ",
    ",": "\u2009",
    ";": " ",
    ":": " ",
    "!": "",
    "-": "",
    "/": "",
    "@": "",
    "\\": " ",
    "textbackslash": "\\",
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "ConTeXt": "ConTeXt",
    "AmS": "AMS",
    "AMS": "AMS",
    "MF": "Metafont",
    "MP": "MetaPost",
    "eTeX": "ε-TeX",
    "pdfTeX": "pdfTeX",
    "textendash": "–",
    "textemdash": "—",
    "textquoteright": "’",
    "textquoteleft": "‘",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "dots": "…",
    "ldots": "…",
    "textellipsis": "…",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "textdegree": "°",
    "degree": "°",
    "S": "§",
    "P": "¶",
    "pounds": "£",
    "textsterling": "£",
    "euro": "€",
    "texteuro": "€",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "slash": "/",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textbullet": "•",
    "textperiodcentered": "·",
    "guillemotleft": "«",
    "guillemotright": "»",
    "quad": " ",
    "qquad": " ",
    "relax": "",
    "textmu": "µ",
    "textdagger": "†",
    "dag": "†",
    "ddag": "‡",
    "textregistered ": "®",
    "newline": " ",
    "linebreak": " ",
    "break": " ",
    "par": " ",
    "noindent": "",
    "smallskip": "",
    "protect": "",
    "xspace": "",
    "nobreak": "",
    "hfill": " ",
    "allowbreak": "",
    "ensuremath": "",
    # math
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "varpi": "ϖ",
    "rho": "ρ",
    "sigma": "σ",
    "varsigma": "ς",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    "times": "×",
    "pm": "±",
    "mp": "∓",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "equiv": "≡",
    "cdot": "·",
    "cdots": "⋯",
    "infty": "∞",
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "leftrightarrow": "↔",
    "circ": "∘",
    "prime": "′",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "sqrt": "√",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "emptyset": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "wedge": "∧",
    "vee": "∨",
    "ll": "≪",
    "gg": "≫",
    "propto": "∝",
    "div": "÷",
    "ast": "∗",
    "star": "⋆",
    "log": "log",
    "ln": "ln",
    "exp": "exp",
    "sin": "sin",
    "cos": "cos",
    "max": "max",
    "min": "min",
    "lbrace": "{",
    "rbrace": "}",
    "langle": "⟨",
    "rangle": "⟩",
    "mid": "|",
    "vert": "|",
    "colon": ":",
    "ell": "ℓ",
    "hbar": "ℏ",
    "Re": "ℜ",
    "Im": "ℑ",
    "aleph": "ℵ",
    "left": "",
    "right": "",
    "displaystyle": "",
    "limits": "",
    "mathcal": "",
    "surd": "√",
    "hyphen": "-",
    "textendash ": "–",
    "big": "",
    "Big": "",
    "bigl": "",
    "bigr": "",
    "nbsp": "\u00a0",
    "textunderscore": "_",
    "textnumero": "№",
    "textpm": "±",
    "texttimes": "×",
    "textminus": "−",
}
ITALIC = {"emph", "textit", "textsl", "mathit", "em", "it", "sl", "itshape", "slshape", "mkbibemph"}
ITALIC_DECLARATIONS = {"em", "it", "sl", "itshape", "slshape"}
DECLARATIONS = {
    "tt",
    "bf",
    "rm",
    "sf",
    "sc",
    "scshape",
    "bfseries",
    "upshape",
    "normalfont",
    "small",
    "footnotesize",
    "large",
    "Large",
    "tiny",
    "scriptsize",
    "normalsize",
    "huge",
    "Huge",
    "mdseries",
    "rmfamily",
    "sffamily",
    "ttfamily",
}
KEEP_TEXT = {
    "textbf",
    "textrm",
    "textsf",
    "texttt",
    "textsc",
    "textup",
    "textnormal",
    "textmd",
    "mbox",
    "hbox",
    "text",
    "mathrm",
    "mathbf",
    "mathsf",
    "mathtt",
    "mathnormal",
    "mathbb",
    "mathfrak",
    "bm",
    "boldsymbol",
    "operatorname",
    "ensuremath",
    "NoCaseChange",
    "nocase",
    "textsuperscript",
    "textsubscript",
    "url",
    "path",
    "uppercase",
    "lowercase",
    "MakeUppercase",
    "MakeLowercase",
    "MakeTextUppercase",
    "MakeTextLowercase",
    "underline",
    "textmu",
    "mkbibbold",
    "mkbibquote",
    "enquote",
    "foreignlanguage",
    "hyphenation",
    "natexlab",
    "acronym",
    "acro",
    "ac",
    "Hy",
    "spacefactor",
    "textenglish",
    "textgerman",
    "textfrench",
    "textlatin",
    "proglang",
    "pkg",
    "code",
    "rpackage",
    "softwarepackage",
    "software",
    "emph ",
    "mathring",
} | DECLARATIONS
QUOTE_ARG = {"mkbibquote", "enquote"}
DROP_ARG = {
    "noopsort",
    "nocite",
    "label",
    "index",
    "sortnoop",
    "SortNoop",
    "hyphenation",
    "ignore",
    "oldstylenums",
    "cite",
    "footnote",
    "thanks",
    "vspace",
    "hspace",
    "phantom",
}
# \foreignlanguage{lang}{text}, \href{url}{text}: the first argument is dropped.
FIRST_ARG_DROPPED = {"foreignlanguage", "href", "textcolor", "colorbox", "selectlanguage"}
SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

TOKEN = re.compile(r"\\([A-Za-z]+)\*?[ \t\n]*|\\(.)|([{}$~^_])|(---|--|``|''|!`|\?`)|([^\\{}$~^_\-`'!?]+|.)", re.S)


class _Converter:
    def __init__(self, text: str):
        self.tokens: list[re.Match[str] | _Plain] = list(TOKEN.finditer(text))
        self.i = 0
        self.unknown: list[str] = []

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def group(self, math: bool) -> str:
        """The text of one argument: a {group}, or the next single token."""
        tok = self.peek()
        while tok is not None and tok.group(5) is not None and tok.group(5).isspace():
            self.i += 1
            tok = self.peek()
        if tok is None:
            return ""
        if tok.group(3) == "{":
            self.i += 1
            return self.run(until="}", math=math)
        if tok.group(5) is not None:  # \'e: one character, not a whole word
            self.i += 1
            word = tok.group(5)
            if len(word) > 1:  # the rest of the word is read again as plain text
                self.tokens.insert(self.i, _Plain(word[1:]))
            return word[0]
        return self.one(math)

    def one(self, math: bool) -> str:
        tok = self.tokens[self.i]
        self.i += 1
        name, symbol, special, ligature, plain = tok.groups()
        if plain is not None:
            return plain
        if ligature is not None:
            return {"---": "—", "--": "–", "``": "“", "''": "”", "!`": "¡", "?`": "¿"}[ligature]
        if special is not None:
            if special == "{":
                return self.run(until="}", math=math)
            if special == "}":
                return ""  # a stray closing brace: dropped
            if special == "~":
                return "\u00a0"
            if special == "$":
                if math:
                    return ""
                return self.run(until="$", math=True)
            if special in "^_":
                if not math:
                    return special
                arg = self.group(math)
                table = SUPERSCRIPT if special == "^" else SUBSCRIPT
                chars = "0123456789+-=()ni" if special == "^" else "0123456789+-=()"
                if arg and all(c in chars for c in arg):
                    return arg.translate(table)
                return special + arg
        if symbol is not None:
            if symbol in ACCENTS:
                return self.accent(ACCENTS[symbol], math)
            if symbol in SYMBOLS:
                return SYMBOLS[symbol]
            self.unknown.append("\\" + symbol)
            return symbol
        # a command word
        if math and name in SYMBOLS and tok.group(0)[-1:].isspace():
            return SYMBOLS[name] + " "  # "$\\alpha \\geq x$": spaces between symbols stay
        if name in ACCENTS and name in "uvHckrdbt":
            return self.accent(ACCENTS[name], math)
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in ITALIC:
            if name in ITALIC_DECLARATIONS:
                return ITALIC_ON  # {\em x}: italic to the end of the group
            return ITALIC_ON + self.group(math) + ITALIC_OFF
        if name in DROP_ARG:
            self.group(math)
            return ""
        if name in ("href", "url") and not math:
            url = self.raw_group()
            text = self.group(math) if name == "href" else url
            return LINK_ON + url.encode("utf-8").hex() + LINK_MID + text + LINK_OFF
        if name in FIRST_ARG_DROPPED:
            self.group(math)
            return self.group(math)
        if name in QUOTE_ARG:
            return "“" + self.group(math) + "”"
        if name in DECLARATIONS:
            return ""
        if name in KEEP_TEXT:
            return self.group(math)
        self.unknown.append("\\" + name)
        nxt = self.peek()
        if nxt is not None and nxt.group(3) == "{":
            return self.group(math)
        return ""

    def raw_group(self) -> str:
        """One {argument} as written (a url: no LaTeX read in it), its escapes (\\_ \\% \\& \\# \\~) undone."""
        tok = self.peek()
        while tok is not None and tok.group(5) is not None and tok.group(5).isspace():
            self.i += 1
            tok = self.peek()
        if tok is None or tok.group(3) != "{":
            return self.group(False)
        self.i += 1
        depth, out = 1, []
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            self.i += 1
            if tok.group(3) == "{":
                depth += 1
            elif tok.group(3) == "}":
                depth -= 1
                if depth == 0:
                    break
            out.append(tok.group(0) if not isinstance(tok, _Plain) else tok.text)
        return re.sub(r"\\([_%&#$~])", r"\1", "".join(out)).strip()

    def accent(self, mark: str, math: bool) -> str:
        base = self.group(math)
        if base[:1] in "ıȷ" and base:  # \'{\i}: the accent replaces the dot
            base = {"ı": "i", "ȷ": "j"}[base[0]] + base[1:]
        if not base:
            return unicodedata.normalize("NFC", " " + mark).strip() or ""
        return unicodedata.normalize("NFC", base[0] + mark + base[1:])

    def run(self, until: str | None = None, math: bool = False) -> str:
        out = []
        italic_open = False
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if until is not None and tok.group(3) == until:
                self.i += 1
                break
            piece = self.one(math)
            if piece == ITALIC_ON and tok.group(1) in ITALIC_DECLARATIONS:
                italic_open = True
            out.append(piece)
        if italic_open:
            out.append(ITALIC_OFF)
        return "".join(out)


class _Plain:
    """A token of plain text (the rest of a word after an accented first letter)."""

    def __init__(self, text: str):
        self.text = text

    def group(self, n: int):
        return self.text if n == 5 else None

    def groups(self):
        return (None, None, None, None, self.text)


def to_unicode(latex: str) -> tuple[str, list[str]]:
    """(the field as Unicode text, the unknown commands found in it)."""
    if not any(c in latex for c in "\\{}$~-`'^_!?"):
        return _spaces(latex), []
    conv = _Converter(latex)
    text = conv.run()
    text = re.sub(ITALIC_ON + "(\\s*)" + ITALIC_OFF, r"\1", text)
    return _spaces(unicodedata.normalize("NFC", text)), conv.unknown


def _spaces(text: str) -> str:
    """Runs of spaces and line breaks as one space; a no-break space (from "~") stays."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def plain(latex: str) -> str:
    """The field as plain Unicode text without italics markers."""
    return LINK.sub(r"\2", to_unicode(latex)[0]).replace(ITALIC_ON, "").replace(ITALIC_OFF, "")
