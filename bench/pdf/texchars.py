"""Unicode text -> canonical text -> LaTeX, for render_papers.py.

pdflatex (T1 + inputenc utf8, Times) cannot typeset arbitrary Unicode, so every
string from a paper is first reduced to a *canonical* form: the exact Unicode
text that poppler/pdftotext reads back from the PDF we produce.  Every
character of canonical text has a LaTeX rendering (tex_text) whose extracted
text is that character again.  The table below was checked by rendering each
entry and extracting it with pdftotext (ToUnicode maps via glyphtounicode).

  * ASCII: kept, except ' -> ’ and ` -> ‘ (T1 typesets them as curly quotes).
  * Latin letters of the T1 encoding (é, ł, ß, ...): kept.
  * Greek letters and common math/text symbols: kept, set in math or with a
    text command; a few come back as a different code point (Δ -> ∆, μ -> µ,
    ∘ -> ◦, ≠ -> U+0338 '='), so the canonical form uses what comes back.
  * Anything else: NFKD decomposition (accents dropped, ﬁ -> fi, ² -> 2),
    then dropped if still not renderable (CJK, emoji, ...).
"""

import html
import re
import unicodedata

# Latin letters that T1 has as single glyphs; inputenc utf8 maps them.
T1_LETTERS = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    "ĂăĆćČčĎĚěĞğİıĹĺŁłŃńŇňŐőŒœŔŕŘřŚśŞşŠšŢţŤŰűŮůŸŹźŻżŽž")

# Characters set in math mode: char -> (canonical, math command).
_MATH = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta",
    "ε": r"\varepsilon", "ϵ": r"\epsilon", "ζ": r"\zeta", "η": r"\eta",
    "θ": r"\theta", "ϑ": r"\vartheta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ϖ": r"\varpi",
    "ρ": r"\rho", "ϱ": r"\varrho", "σ": r"\sigma", "ς": r"\varsigma",
    "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi", "ϕ": r"\phi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Γ": r"\Gamma", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi",
    "Π": r"\Pi", "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi",
    "Ψ": r"\Psi", "Ω": r"\Omega",
    "∈": r"\in", "∋": r"\ni", "⊂": r"\subset", "⊆": r"\subseteq",
    "⊃": r"\supset", "⊇": r"\supseteq", "⊊": r"\subsetneq", "∪": r"\cup",
    "∩": r"\cap", "∅": r"\emptyset", "∀": r"\forall", "∃": r"\exists",
    "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "⇒": r"\Rightarrow",
    "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "→": r"\rightarrow",
    "←": r"\leftarrow", "↔": r"\leftrightarrow", "↑": r"\uparrow",
    "↓": r"\downarrow", "⇑": r"\Uparrow", "⇓": r"\Downarrow",
    "↗": r"\nearrow", "↘": r"\searrow", "⇝": r"\rightsquigarrow",
    "⇌": r"\rightleftharpoons", "≤": r"\leq", "≥": r"\geq",
    "⩽": r"\leqslant", "⩾": r"\geqslant", "≈": r"\approx", "≡": r"\equiv",
    "∼": r"\sim", "≃": r"\simeq", "∝": r"\propto", "≪": r"\ll", "≫": r"\gg",
    "≺": r"\prec", "≻": r"\succ", "⪯": r"\preceq", "⪰": r"\succeq",
    "≲": r"\lesssim", "≳": r"\gtrsim", "≍": r"\asymp", "≜": r"\triangleq",
    "≁": r"\nsim", "±": r"\pm", "∓": r"\mp", "×": r"\times", "÷": r"\div",
    "·": r"\cdot", "◦": r"\circ", "⊗": r"\otimes", "⊕": r"\oplus",
    "⊙": r"\odot", "⊖": r"\ominus", "⊘": r"\oslash", "∞": r"\infty",
    "∂": r"\partial", "∇": r"\nabla", "∫": r"\smallint", "∥": r"\|",
    "⊤": r"\top", "⊥": r"\perp", "⊺": r"\intercal", "⟨": r"\langle",
    "⟩": r"\rangle", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil",
    "⌉": r"\rceil", "ℓ": r"\ell", "′": r"\prime", "∗": r"\ast",
    "⋆": r"\star", "∠": r"\angle", "△": r"\triangle",
    "▷": r"\triangleright", "◁": r"\triangleleft",
    "▶": r"\blacktriangleright", "▲": r"\blacktriangle",
    "▼": r"\blacktriangledown", "■": r"\blacksquare", "□": r"\square",
    "♠": r"\spadesuit", "♢": r"\diamondsuit", "♣": r"\clubsuit",
    "♡": r"\heartsuit", "♯": r"\sharp", "♭": r"\flat", "⊢": r"\vdash",
    "⊣": r"\dashv", "⋄": r"\diamond", "ℏ": r"\hbar", "ℵ": r"\aleph",
    "⊑": r"\sqsubseteq", "⊔": r"\sqcup", "⊓": r"\sqcap", "⊎": r"\uplus",
    "≀": r"\wr", "⊸": r"\multimap", "⊛": r"\circledast", "∤": r"\nmid",
    "µ": r"\mu", "∆": r"\Delta", "✓": r"\checkmark", "−": r"-",
}

# Characters whose extracted form differs from themselves: char -> canonical.
_ALIAS = {
    "μ": "µ", "Δ": "∆", "∘": "◦", "⋅": "·", "∙": "•", "‖": "∥", "∣": "|",
    "≅": "≃", "↦": "→", "⟶": "→", "↪": "→", "⟹": "⇒", "⟸": "⇐",
    "⟺": "⇔", "〈": "⟨", "〉": "⟩", "★": "⋆", "♦": "♢", "◇": "⋄",
    "∑": "Σ", "∏": "Π", "∖": "\\", "⊨": "|=", "″": "′′", "‴": "′′′",
    "…": "...", "⋯": "· · ·", "€": "EUR", "‐": "-", "‑": "-", "⁄": "/",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "ο": "o",
    "Đ": "D", "đ": "d", "Ŋ": "N", "ŋ": "n",
    "≠": "\u0338=", "\u2028": " ", "\u2029": " ", "'": "’", "`": "‘",
}

# Characters set in text mode: canonical char -> LaTeX.
_TEXT = {
    "–": r"\textendash{}", "—": r"\textemdash{}", "“": r"\textquotedblleft{}",
    "”": r"\textquotedblright{}", "‘": r"\textquoteleft{}",
    "’": r"\textquoteright{}", "„": r"\quotedblbase{}",
    "«": r"\guillemotleft{}", "»": r"\guillemotright{}",
    "‹": r"\guilsinglleft{}", "›": r"\guilsinglright{}",
    "†": r"\textdagger{}", "‡": r"\textdaggerdbl{}", "§": r"\S{}",
    "¶": r"\P{}", "©": r"\textcopyright{}", "®": r"\textregistered{}",
    "™": r"\texttrademark{}", "£": r"\pounds{}", "¥": r"\textyen{}",
    "¢": r"\textcent{}", "‰": r"\textperthousand{}", "°": r"\textdegree{}",
    "¡": r"\textexclamdown{}", "¿": r"\textquestiondown{}",
    "•": r"\textbullet{}", "½": r"\textonehalf{}", "¼": r"\textonequarter{}",
    "¾": r"\textthreequarters{}", "✔": r"\ding{52}", "✗": r"\ding{55}",
    "✘": r"\ding{56}", "ˆ": r"\^{}", "˜": r"\~{}", "¯": r"\={}",
    "´": r"\'{}", "¨": r"\"{}", "˙": r"\.{}", "˘": r"\u{}", "ˇ": r"\v{}",
    "¸": r"\c{}", "˚": r"\r{}", "˝": r"\H{}",
}

_ASCII_TEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$",
    "&": r"\&", "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}",
}

# canonical char -> LaTeX for every non-ASCII canonical character.
TEX_FOR = {}
for _c, _cmd in _MATH.items():
    TEX_FOR[_c] = "\\({" + _cmd + "}\\)"
TEX_FOR.update(_TEXT)
for _c in T1_LETTERS:
    TEX_FOR[_c] = _c

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~^])")
_SPACES = re.compile(r"\s+")
_NOT_EQUAL = re.compile("\u0338\\s*=|=\u0338")


def _canon_char(ch, depth=0):
    """Canonical form of one character ('' if it cannot be rendered)."""
    if ch in _ALIAS:
        return _ALIAS[ch]
    o = ord(ch)
    if 32 <= o < 127 or ch in TEX_FOR:
        return ch
    if ch in "\t\n\r":
        return " "
    cat = unicodedata.category(ch)
    if cat == "Zs":
        return " "
    if cat[0] in "CM":  # controls, format chars, stray combining marks
        return ""
    if depth:
        return ""
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed == ch:
        return ""
    return "".join(_canon_char(d, 1) for d in decomposed
                   if not unicodedata.category(d).startswith("M"))


def canon_text(s, unescape=True):
    """Canonical (renderable, extractable) form of a Markdown text run."""
    if unescape:
        s = html.unescape(s)
        s = _MD_ESCAPE.sub(r"\1", s)
    s = _NOT_EQUAL.sub("≠", s)
    s = unicodedata.normalize("NFC", s)
    s = "".join(_canon_char(c) for c in s)
    return _SPACES.sub(" ", s).strip()


def canon_code(line):
    """Canonical form of a code line: printable ASCII plus curly quotes."""
    line = line.replace("\t", "    ")
    out = []
    for c in unicodedata.normalize("NFKD", line):
        if c == "'":
            out.append("’")
        elif c == "`":
            out.append("‘")
        elif 32 <= ord(c) < 127:
            out.append(c)
    return "".join(out).rstrip()


_BREAK_AFTER = set("/._:=&?,")


def _tex_word(word):
    out = []
    long_word = len(word) > 22
    for i, c in enumerate(word):
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c == "\u0338" and nxt == "=":
            out.append(r"\({\neq}\)")
            continue
        if c == "=" and i and word[i - 1] == "\u0338":
            continue
        if c in _ASCII_TEX:
            out.append(_ASCII_TEX[c])
        elif c == "-" and nxt == "-":
            out.append("-{}")
        elif c in ",<>" and nxt == c:  # T1 ligatures ,, << >>
            out.append(_ASCII_TEX.get(c, c) + "{}")
        elif ord(c) < 128:
            out.append(c)
        else:
            out.append(TEX_FOR.get(c, ""))
        if long_word and c in _BREAK_AFTER and nxt:
            out.append(r"\allowbreak{}")
    return "".join(out)


def tex_text(canon):
    """LaTeX for canonical text (see module docstring)."""
    return " ".join(_tex_word(w) for w in canon.split(" "))


def tex_verbatim_ok(line):
    return r"\end{verbatim}" not in line


# ---- inline / display math from the Markdown ----------------------------

_CMD_TO_CHAR = {}
for _c, _cmd in _MATH.items():
    _CMD_TO_CHAR.setdefault(_cmd[1:], _c)
_CMD_TO_CHAR.update({"epsilon": "ε", "varepsilon": "ε", "phi": "φ",
                     "le": "≤", "ge": "≥", "ne": "≠", "neq": "≠",
                     "to": "→", "mu": "µ", "Delta": "∆", "sum": "Σ",
                     "prod": "Π", "ldots": "...", "dots": "...",
                     "cdots": "· · ·", "mid": "|", "lVert": "∥",
                     "rVert": "∥", "circ": "◦"})
_DROP_CMDS = {"frac", "dfrac", "tfrac", "mathrm", "mathbf", "mathcal",
              "mathbb", "mathit", "mathsf", "mathtt", "text", "textbf",
              "textit", "operatorname", "boldsymbol", "bm", "left", "right",
              "big", "Big", "bigg", "Bigg", "hat", "tilde", "bar", "vec",
              "widehat", "widetilde", "overline", "underline", "mathbbm",
              "displaystyle", "quad", "qquad", "limits", "nolimits"}
_MATH_CMD = re.compile(r"\\([A-Za-z]+)|\\(.)")


def flatten_inline_math(src):
    """Plain-text version of an inline $...$ formula (docling style)."""
    def cmd(m):
        name = m.group(1)
        if name is None:
            return " " if m.group(2) in ",;:! " else m.group(2)
        if name in _CMD_TO_CHAR:
            return " " + _CMD_TO_CHAR[name] + " "
        if name in _DROP_CMDS:
            return " "
        return " " + name + " "
    s = _MATH_CMD.sub(cmd, src)
    s = re.sub(r"[{}^_]", " ", s)
    return _SPACES.sub(" ", s).strip()


_FORBIDDEN = re.compile(
    r"\\(def|edef|gdef|let|catcode|input|include|write|openout|openin|"
    r"immediate|special|end\{document|documentclass|usepackage|newcommand|"
    r"renewcommand|csname|read|loop|label|ref|eqref|cite|tag|href|url|"
    r"includegraphics|newenvironment|makeatletter|color|pdf)", re.I)


def tex_display_math(src):
    """LaTeX for a $$...$$ body, or None if it looks unsafe to compile."""
    if _FORBIDDEN.search(src) or src.count("{") != src.count("}"):
        return None
    out = []
    for c in unicodedata.normalize("NFC", src):
        if ord(c) < 128:
            out.append(" " if c in "\t\r\n%" else c)
        elif c in _MATH:
            out.append(_MATH[c] + " ")
        elif c in _ALIAS and _ALIAS[c] in _MATH:
            out.append(_MATH[_ALIAS[c]] + " ")
    body = "".join(out).strip()
    return body or None
