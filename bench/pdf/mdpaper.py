"""Docling-style paper Markdown -> Paper model -> canonical Markdown + truth.

The model holds only canonical text (texchars.canon_text), so the LaTeX made
from it (layouts.py) and the Markdown written from it say the same words.
"""

import re

from texchars import canon_code, canon_text, flatten_inline_math, \
    tex_display_math, tex_verbatim_ok


class ParseError(Exception):
    pass


# ---- Markdown -> chunks ---------------------------------------------------

_ITEM = re.compile(r"^\s*[-*+•]\s+(.*)$")
_NUM_ITEM = re.compile(r"^\s*(\d{1,3}[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s*#+\s+(.*)$")


def _starts_block(s):
    return (not s or s.startswith(("#", "|", "```", "$$", "<!--"))
            or _ITEM.match(s) or _NUM_ITEM.match(s))


def _gather_fenced(lines, i, opener):
    """Lines of a ``` or $$ block starting at lines[i]; returns (body, next)."""
    first = lines[i].strip()[len(opener):]
    if opener == "$$" and first.rstrip().endswith("$$") and len(first.strip()) >= 2:
        return [first.rstrip()[:-2]], i + 1
    body = [] if opener == "```" else [first]
    j = i + 1
    while j < len(lines):
        s = lines[j]
        if s.strip().startswith(opener) or (opener == "$$" and s.rstrip().endswith("$$")):
            if opener == "$$":
                body.append(s.rstrip()[:-2])
            return body, j + 1
        body.append(s)
        j += 1
    return body, j


def split_chunks(text):
    """Markdown -> list of (kind, payload) in document order."""
    lines = text.replace("\r\n", "\n").split("\n")
    chunks, i = [], 0
    while i < len(lines):
        s = lines[i].strip()
        if not s:
            i += 1
        elif s.startswith("```"):
            body, i = _gather_fenced(lines, i, "```")
            chunks.append(("code", body))
        elif s.startswith("$$"):
            body, i = _gather_fenced(lines, i, "$$")
            chunks.append(("math", " ".join(body)))
        elif _HEADING.match(s):
            chunks.append(("heading", _HEADING.match(s).group(1)))
            i += 1
        elif s.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            chunks.append(("table", rows))
        elif s.startswith("<!--"):
            if "image" in s:
                chunks.append(("image", None))
            elif "formula" in s:
                chunks.append(("math", None))
            i += 1
        else:
            m, n = _ITEM.match(s), _NUM_ITEM.match(s)
            label = n.group(1) if n and not m else None
            parts = [m.group(1) if m else n.group(2) if n else s]
            i += 1
            while i < len(lines) and not _starts_block(lines[i].strip()):
                parts.append(lines[i].strip())
                i += 1
            kind = "item" if (m or n) else "para"
            chunks.append((kind, (label, " ".join(parts))))
    return chunks


def drop_fragment_runs(chunks, max_len=15, min_run=3):
    """Remove runs of tiny paragraphs: text docling pulled out of figures
    (tick labels, legends, latexit junk).  In a real PDF it sits inside the
    figure, so it is not prose; set as paragraphs it would fill pages."""
    out, run = [], []
    for c in chunks + [("end", None)]:
        if c[0] == "para" and len(c[1][1].strip()) <= max_len:
            run.append(c)
            continue
        if len(run) < min_run:
            out.extend(run)
        run = []
        if c[0] != "end":
            out.append(c)
    return out


# ---- text helpers ---------------------------------------------------------

_INLINE_MATH = re.compile(r"(?<![\\$])\$([^$\n]{1,300}?)\$(?!\$)")


def _inline_math(m):
    body = m.group(1)
    mathy = any(c in body for c in "\\^_=") or (
        len(body.strip()) <= 3 and not body.strip().isdigit())
    return " " + flatten_inline_math(body) + " " if mathy else m.group(0)


def ctext(s):
    """Canonical text of a Markdown text run (inline $..$ flattened)."""
    s = _INLINE_MATH.sub(_inline_math, s.replace("<br>", " "))
    t = canon_text(s)
    return t.lstrip("#|> ").strip()


def shorten(s, limit):
    if len(s) <= limit:
        return s
    cut = s[:limit].rsplit(" ", 1)[0]
    return cut if len(cut) > limit // 2 else s[:limit]


# ---- headings -------------------------------------------------------------

_NUMBERED = re.compile(r"^((?:\d{1,2}|[A-Z])(?:\.\d{1,2}){0,4})\.?\s+(\S.*)$")
_NOT_HEADING = set("""figure fig table tab algorithm proof lemma theorem corollary
proposition definition assumption remark example claim answer guidelines
justification question prompt input output step case note listing box
response system user assistant instruction instructions task context query
solution hint conjecture observation fact condition property""".split())
_REF_NAMES = {"references", "bibliography", "references and notes",
              "literature cited", "reference"}
_APPENDIX = re.compile(r"^(appendix|appendices|supplementary|technical appendices)", re.I)


def _first_word(t):
    w = t.split(" ", 1)[0].lower()
    return re.sub(r"[^a-z]", "", w)


_NOT_NUMBERED_HEADING = {"figure", "fig", "table", "answer", "guidelines",
                         "justification", "question"}


def _title_ok(title, max_words, numbered):
    words = title.split()
    first_ok = title[0].isalnum() if numbered else title[0].isalpha()
    if not (0 < len(words) <= max_words and len(title) <= 150 and first_ok):
        return False
    if numbered:
        return _first_word(title) not in _NOT_NUMBERED_HEADING
    return (_first_word(title) not in _NOT_HEADING
            and not any(c in title for c in '!"#$%&()=<>[]{}|;')
            and sum(c.isdigit() for c in title) <= 2)


def classify_heading(raw, st):
    """('h', level, number, title) or ('p', text) for a '## ...' line."""
    text = ctext(raw)
    if not text:
        return None
    bare = re.sub(r"\s+\d{1,4}$", "", text).rstrip(":")  # "References 345": line no.
    if bare.lower() in _REF_NAMES:
        return ("h", 1, "", bare)
    m = _NUMBERED.match(text)
    if m:
        num, title = m.group(1), m.group(2)
        letter = num[0].isalpha()
        if (letter and not st["appendix"]) or (letter and len(num) == 1 and title[:1].islower()):
            m = None
        elif not letter and int(num.split(".")[0]) > 20:
            m = None
        elif not _title_ok(title, 16, True):
            return ("p", text)
    if m:
        if st["checklist"] and not letter:
            return ("p", text)
        st["checklist"] = False
        return ("h", min(3, num.count(".") + 1), num, title)
    if _APPENDIX.match(text):
        st["appendix"], st["checklist"] = True, False
    elif "checklist" in text.lower():
        st["checklist"] = True
        return ("h", 1, "", text)
    if st["checklist"] or not text[0].isupper() or not _title_ok(text, 10, False) \
            or text[-1] in ".:;,]>":
        return ("p", text)
    return ("h", 1, "", text)


# ---- chunks -> Paper ------------------------------------------------------

class Paper:
    def __init__(self, pid, title, authors, abstract, blocks):
        self.id = pid
        self.title = title
        self.authors = authors
        self.abstract = abstract
        self.blocks = blocks

    def refs_index(self):
        for i, b in enumerate(self.blocks):
            if b["k"] == "refs":
                return i
        return None

    def units_after_refs(self):
        """Block indexes of the level-1 headings after the references."""
        r = self.refs_index()
        return [i for i, b in enumerate(self.blocks)
                if r is not None and i > r and b["k"] == "h" and b["level"] == 1]


_CAPTION = {"fig": re.compile(r"^(Figure|Fig\.)\s*[A-Z]?\d+[a-z]?\s*[:.|]"),
            "table": re.compile(r"^Table\s*[A-Z]?\d+[a-z]?\s*[:.|]")}


def _table_rows(raw_rows, max_rows=25, max_cols=10):
    rows = []
    for r in raw_rows:
        cells = r.strip().strip("|").split("|")
        if all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells):
            continue
        rows.append([shorten(ctext(c).replace("|", "/"), 40) for c in cells[:max_cols]])
    rows = [r for r in rows if any(r)][:max_rows]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _take_caption(chunks, i, kind):
    """Caption paragraph at chunks[i] if it is a caption of this kind."""
    if i < len(chunks) and chunks[i][0] == "para":
        text = ctext(chunks[i][1][1])
        if _CAPTION[kind].match(text):
            return text
    return None


def _body_chunk(chunks, i, blocks, opts):
    """Append the block(s) for chunks[i]; return the next index."""
    kind, payload = chunks[i]
    if kind == "image":
        while i + 1 < len(chunks) and chunks[i + 1][0] == "image":
            i += 1
        cap = None
        # The caption may follow a footnote or two (docling keeps page order).
        for j in range(i + 1, min(i + 4, len(chunks))):
            cap = _take_caption(chunks, j, "fig")
            if cap:
                chunks[j] = ("skip", None)
                break
            if chunks[j][0] != "para":
                break
        blocks.append({"k": "fig", "caption": cap})
        return i + 1
    if kind == "skip":
        return i + 1
    if kind == "table":
        rows = _table_rows(payload)
        if rows:
            cap = None
            if blocks and blocks[-1]["k"] == "p" and _CAPTION["table"].match(blocks[-1]["text"]):
                cap = blocks.pop()["text"]
            elif _take_caption(chunks, i + 1, "table"):
                cap = _take_caption(chunks, i + 1, "table")
                i += 1
            blocks.append({"k": "table", "caption": cap, "rows": rows})
        return i + 1
    if kind == "math":
        tex = tex_display_math(payload) if payload else None
        blocks.append({"k": "math", "tex": tex, "source": payload is not None})
        return i + 1
    if kind == "code":
        lines = [shorten(canon_code(l), opts["code_width"]) for l in payload]
        lines = [l for l in lines if tex_verbatim_ok(l)][:40]
        while lines and not lines[-1].strip():
            lines.pop()
        if any(l.strip() for l in lines):
            blocks.append({"k": "code", "lines": lines})
        return i + 1
    if kind == "item":
        label, text = payload
        text = ctext(text)
        if text:
            label = ctext(label) if label else ""
            if blocks and blocks[-1]["k"] == "list":
                blocks[-1]["items"].append((label, text))
            else:
                blocks.append({"k": "list", "items": [(label, text)]})
        return i + 1
    text = ctext(payload[1])
    if text and _CAPTION["fig"].match(text):
        blocks.append({"k": "fig", "caption": text})  # caption of a lost image
    elif text:
        blocks.append({"k": "p", "text": text, "bold": False})
    return i + 1


def _references(chunks, i):
    """Reference entries starting at chunks[i]; returns (entries, next)."""
    entries = []
    while i < len(chunks) and chunks[i][0] != "heading":
        kind, payload = chunks[i]
        if kind in ("item", "para"):
            label, text = payload
            t = ctext((label + " " if label else "") + text)
            if t and not t.isdigit():  # bare numbers are the PDF's line numbers
                entries.append(t)
        i += 1
    return entries, i


def _front_matter(chunks):
    """Title, author lines, abstract paragraphs and the index after them."""
    hi = [i for i, c in enumerate(chunks) if c[0] == "heading"]
    if not hi:
        raise ParseError("no headings")
    title = ctext(chunks[hi[0]][1])
    ab = [i for i in hi if ctext(chunks[i][1]).lower().rstrip(".:") == "abstract"]
    if not title or not ab or ab[0] == hi[0]:
        raise ParseError("no title or no '## Abstract'")
    authors = []
    for kind, payload in chunks[hi[0] + 1:ab[0]]:
        if kind in ("heading", "para", "item"):
            t = ctext(payload if kind == "heading" else payload[1])
            if t:
                authors.append(t)
    abstract, i, words = [], ab[0] + 1, 0
    while i < len(chunks) and chunks[i][0] != "heading" and words < 400:
        kind, payload = chunks[i]
        if kind in ("para", "item"):
            t = ctext(payload[1])
            if t:
                abstract.append(t)
                words += len(t.split())
        i += 1
    if not abstract:
        raise ParseError("empty abstract")
    return title, authors, abstract, i


def parse_paper(pid, markdown, code_width=72):
    chunks = drop_fragment_runs(split_chunks(markdown))
    title, authors, abstract, i = _front_matter(chunks)
    blocks, seen_refs = [], False
    st = {"appendix": False, "checklist": False}
    opts = {"code_width": code_width}
    while i < len(chunks):
        kind, payload = chunks[i]
        if kind != "heading":
            i = _body_chunk(chunks, i, blocks, opts)
            continue
        h = classify_heading(payload, st)
        i += 1
        if h is None:
            continue
        if h[0] == "p":
            blocks.append({"k": "p", "text": h[1], "bold": True})
            continue
        _, level, num, htitle = h
        is_refs = not num and htitle.lower().rstrip(":") in _REF_NAMES
        if is_refs and not seen_refs:
            entries, i = _references(chunks, i)
            if entries:
                seen_refs = True
                st["appendix"] = True
                numbered = sum(bool(re.match(r"\[\d+\]", e)) for e in entries)
                blocks.append({"k": "h", "level": 1, "num": "", "title": htitle})
                blocks.append({"k": "refs", "entries": entries,
                               "numbered": numbered * 2 >= len(entries)})
            continue
        blocks.append({"k": "h", "level": level, "num": num, "title": htitle})
    if not seen_refs:
        raise ParseError("no references")
    return Paper(pid, title, authors, abstract, blocks)


# ---- per-layout views -----------------------------------------------------

SHOWN_AUTHORS = {
    "iclr": ["Anonymous authors", "Paper under double-blind review"],
    "neurips": ["Anonymous Author(s)", "Affiliation", "Address", "email"],
}


def shown_authors(paper, layout):
    if layout in SHOWN_AUTHORS:
        return list(SHOWN_AUTHORS[layout])
    return [shorten(a, 150) for a in paper.authors[:8]]


def heading_text(block, layout):
    if not block["num"]:
        return block["title"]
    sep = ". " if layout == "twocol" else " "
    return block["num"] + sep + block["title"]


def canonical_markdown(paper, layout, keep_tables=True, keep_code=True):
    out = ["# " + paper.title]
    out += shown_authors(paper, layout)
    out.append("## Abstract")
    out += paper.abstract
    for b in paper.blocks:
        k = b["k"]
        if k == "h":
            out.append("#" * (b["level"] + 1) + " " + heading_text(b, layout))
        elif k == "p":
            out.append(b["text"])
        elif k == "list":
            out.append("\n".join((lab + " " if lab else "- ") + t for lab, t in b["items"]))
        elif k == "table" and keep_tables:
            if b["caption"]:
                out.append(b["caption"])
            rows = ["| " + " | ".join(r) + " |" for r in b["rows"]]
            rows.insert(1, "| " + " | ".join(["---"] * len(b["rows"][0])) + " |")
            out.append("\n".join(rows))
        elif k == "fig":
            out.append("<!-- image -->")
            if b["caption"]:
                out.append(b["caption"])
        elif k == "code" and keep_code:
            out.append("```\n" + "\n".join(b["lines"]) + "\n```")
        elif k == "refs":
            out.append("\n".join("- " + e for e in b["entries"]))
    return "\n\n".join(out) + "\n"


def truth(paper, layout, pages):
    heads = [{"level": b["level"], "text": heading_text(b, layout)}
             for b in paper.blocks if b["k"] == "h"]
    refs = []
    for b in paper.blocks:
        if b["k"] == "refs":
            refs = list(b["entries"])
    return {"id": paper.id, "layout": layout, "pages": pages,
            "title": paper.title, "abstract": "\n\n".join(paper.abstract),
            "headings": heads, "references": refs,
            "authors": shown_authors(paper, layout)}
