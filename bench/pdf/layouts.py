"""LaTeX for a Paper (mdpaper.Paper) in three conference-like layouts.

  iclr     one column, ICLR 2026 review copy: small-caps title and section
           headings, running header with rule, line numbers 000.. per page in
           both margins, "Anonymous authors".
  neurips  one column, NeurIPS 2025 submission: title between rules,
           anonymous author block, line numbers in the left margin, notice in
           the page-1 footer, rotated grey arXiv stamp in the left margin.
  twocol   CVPR/ACL-like two columns in Times: date line above the title,
           real author lines, "1. Introduction" headings, small references.
"""

import hashlib

from mdpaper import shown_authors
from texchars import tex_text

LAYOUTS = ("iclr", "neurips", "twocol")

_COMMON = r"""\pdfcompresslevel=9 \pdfobjcompresslevel=2 \pdfinfoomitdate=1
\pdftrailerid{} \pdfsuppressptexinfo=-1
\pdfgentounicode=1 \input{glyphtounicode}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{times}
\usepackage{textcomp}
\usepackage{amsmath,amssymb}
\usepackage{pifont}
\usepackage{graphicx}
\usepackage{color}
\usepackage{fancyhdr}
\emergencystretch=3em
\extrafloats{250}
\setcounter{topnumber}{3}\setcounter{bottomnumber}{2}\setcounter{totalnumber}{5}
\renewcommand{\topfraction}{0.85}\renewcommand{\bottomfraction}{0.5}
\renewcommand{\textfraction}{0.1}\renewcommand{\floatpagefraction}{0.7}
\newsavebox\fitbox
\newcommand\fitwidth[1]{\sbox\fitbox{#1}\ifdim\wd\fitbox>\linewidth
  \resizebox{\linewidth}{!}{\usebox\fitbox}\else\usebox\fitbox\fi}
\newcommand\capline[1]{\par\sbox\fitbox{#1}\ifdim\wd\fitbox>\linewidth
  {\leftskip 0pt\rightskip 0pt\parfillskip 0pt plus 1fil\noindent #1\par}%
  \else{\centering #1\par}\fi}
\newcommand\reflabel[1]{#1\hfil}
\newenvironment{numrefs}[1]{\list{}{\settowidth\labelwidth{#1}%
  \leftmargin\labelwidth\advance\leftmargin\labelsep
  \itemsep 2pt plus 1pt\parsep 0pt\let\makelabel\reflabel}\sloppy}{\endlist}
\newenvironment{ayrefs}{\list{}{\leftmargin 1.5em\itemindent -1.5em%
  \labelwidth 0pt\labelsep 0pt\itemsep 2pt plus 1pt\parsep 0pt}\sloppy}{\endlist}
"""

_SECTIONS = r"""\makeatletter
\renewcommand\section{\@startsection{section}{1}{\z@}%
  {-2.0ex plus -0.5ex minus -.2ex}{1.3ex plus .2ex}{@@H1@@\raggedright}}
\renewcommand\subsection{\@startsection{subsection}{2}{\z@}%
  {-1.8ex plus -0.5ex minus -.2ex}{0.8ex plus .2ex}{@@H2@@\raggedright}}
\renewcommand\subsubsection{\@startsection{subsubsection}{3}{\z@}%
  {-1.5ex plus -0.5ex minus -.2ex}{0.5ex plus .2ex}{@@H3@@\raggedright}}
\makeatother
"""

_ICLR = r"""\documentclass[10pt,letterpaper]{article}
%(common)s
\usepackage[letterpaper,textwidth=5.5in,textheight=9in,top=1in,
  headheight=12pt,headsep=25pt,footskip=30pt]{geometry}
\usepackage[pagewise]{lineno}
\pagestyle{fancy}\fancyhf{}
\fancyhead[L]{Under review as a conference paper at ICLR 2026}
\renewcommand{\headrulewidth}{0.4pt}
\fancyfoot[C]{\thepage}
%(sections)s
\def\threedigits#1{\ifnum#1<10 00\else\ifnum#1<100 0\fi\fi\number#1}
\renewcommand\thelinenumber{\threedigits{\numexpr\value{linenumber}-1\relax}}
\renewcommand\linenumberfont{\normalfont\footnotesize\bfseries\color[gray]{0.55}}
\setlength\linenumbersep{0.3in}
\def\makeLineNumberOdd{\hss\linenumberfont\LineNumber\hskip\linenumbersep
  \rlap{\hskip\columnwidth\hskip\linenumbersep\linenumberfont\LineNumber}}
\let\makeLineNumberEven\makeLineNumberOdd
\begin{document}
\linenumbers
{\raggedright\Large\bfseries\scshape %(title)s\par}
\vskip 0.3in
\noindent\textbf{Anonymous authors}\\
Paper under double-blind review
\vskip 0.3in
\begin{center}{\large\scshape Abstract}\end{center}
\vskip -0.5ex
\begin{list}{}{\leftmargin 0.5in\rightmargin 0.5in\listparindent 1.5em\parsep 0pt}
\item[]%(abstract)s
\end{list}
"""

_NEURIPS = r"""\documentclass[10pt,letterpaper]{article}
%(common)s
\usepackage[letterpaper,textwidth=5.5in,textheight=9in,top=1in,
  headheight=12pt,headsep=25pt,footskip=30pt]{geometry}
\usepackage{lineno}
\renewcommand\linenumberfont{\normalfont\tiny\color[gray]{0.5}}
\pagestyle{fancy}\fancyhf{}
\renewcommand{\headrulewidth}{0pt}
\fancyfoot[C]{\thepage}
\fancypagestyle{firstpage}{\fancyhf{}\renewcommand{\headrulewidth}{0pt}%%
  \fancyhead[L]{\setlength{\unitlength}{1pt}\begin{picture}(0,0)%%
  \put(-88,-560){\rotatebox{90}{\fontsize{20}{22}\selectfont
  \color[gray]{0.5}%(stamp)s}}\end{picture}}%%
  \fancyfoot[L]{\footnotesize Submitted to 39th Conference on Neural
  Information Processing Systems (NeurIPS 2025). Do not distribute.}}
%(sections)s
\begin{document}
\thispagestyle{firstpage}
\vbox{\hsize\textwidth\linewidth\hsize\hrule height 4pt\vskip 0.25in
\centering{\LARGE\bfseries %(title)s\par}\vskip 0.29in\hrule height 1pt\vskip 0.09in}
\vskip 0.3in
\begin{center}\textbf{Anonymous Author(s)}\\
Affiliation\\
Address\\
\texttt{email}\end{center}
\vskip 0.3in
\linenumbers
\begin{center}{\large\bfseries Abstract}\end{center}
\vskip -1ex
\begin{quote}
%(abstract)s
\end{quote}
"""

_TWOCOL = r"""\documentclass[10pt,twocolumn,letterpaper]{article}
%(common)s
\usepackage[letterpaper,textwidth=6.875in,textheight=8.875in,top=1in,
  columnsep=0.3125in,footskip=30pt]{geometry}
\pagestyle{plain}
%(sections)s
\begin{document}
\twocolumn[{\begin{center}
{\normalsize %(date)s}\\[14pt]
{\Large\bfseries %(title)s\par}
\vspace{14pt}
%(authors)s
\end{center}\vspace{18pt}}]
\begin{center}{\large\bfseries Abstract}\end{center}
\vskip -0.5ex
{\itshape %(abstract)s\par}
"""

_FORMULAS = [
    r"\mathcal{L}(\theta) = -\sum_{i=1}^{n} \log p_\theta(y_i \mid x_i)",
    r"h_t = \sigma\left(W x_t + U h_{t-1} + b\right)",
    r"\hat{\theta} = \arg\min_{\theta} \frac{1}{n} \sum_{i=1}^{n} "
    r"\ell\big(f_\theta(x_i), y_i\big) + \lambda \|\theta\|_2^2",
    r"\mathrm{Attn}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^\top}"
    r"{\sqrt{d}}\right) V",
    r"D_{\mathrm{KL}}(p \,\|\, q) = \int p(x) \log \frac{p(x)}{q(x)} \, dx",
    r"x_{t+1} = x_t - \eta \nabla f(x_t), \quad t = 0, 1, \dots, T-1",
    r"\mathbb{E}_{x \sim \mathcal{D}}\left[\|g(x) - y\|^2\right] \le "
    r"\epsilon + \frac{C}{\sqrt{m}}",
]

_PLOTS = [("Accuracy", "Epoch", ["0.2", "0.4", "0.6"], ["0", "10", "20", "30"]),
          ("Loss", "Training steps", ["1.0", "2.0", "3.0"], ["0", "5k", "10k", "15k"]),
          ("Reward", "Iterations", ["0.5", "1.0", "1.5"], ["0", "100", "200", "300"]),
          ("Error (%)", "Noise level", ["10", "20", "30"], ["0.1", "0.2", "0.3", "0.4"]),
          ("F1 score", "Model size", ["0.6", "0.7", "0.8"], ["1B", "3B", "7B", "13B"])]


def _hash(pid, salt):
    return int(hashlib.sha1((salt + pid).encode()).hexdigest(), 16)


_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December"]


def date_line(pid):
    h = _hash(pid, "date")
    return "%s %d, 2025" % (_MONTHS[h % 12], 1 + (h // 12) % 28)


def arxiv_stamp(pid):
    h = _hash(pid, "arxiv")
    month = 1 + h % 12
    cat = ["cs.LG", "cs.CL", "cs.CV", "stat.ML", "cs.AI"][(h // 12) % 5]
    day = 1 + (h // 60) % 28
    num = (h // 1680) % 20000 + 1000
    return r"arXiv:25%02d.%05dv1\ \ [%s]\ \ %d %s 2025" % (
        month, num, cat, day, _MONTHS[month - 1][:3])


def _plot(n):
    ylab, xlab, yt, xt = _PLOTS[n % len(_PLOTS)]
    p = [r"\setlength{\unitlength}{0.0075\linewidth}",
         r"\fbox{\begin{picture}(120,52)",
         r"\put(16,9){\line(1,0){100}}\put(16,9){\line(0,1){40}}"]
    for k, t in enumerate(yt):
        p.append(r"\put(14,%d){\makebox(0,0)[r]{\scriptsize %s}}" % (18 + 12 * k, tex_text(t)))
    for k, t in enumerate(xt):
        p.append(r"\put(%d,7){\makebox(0,0)[t]{\scriptsize %s}}" % (22 + 28 * k, tex_text(t)))
    p.append(r"\put(66,1){\makebox(0,0)[b]{\scriptsize %s}}" % tex_text(xlab))
    p.append(r"\put(4,29){\rotatebox{90}{\makebox(0,0){\scriptsize %s}}}" % tex_text(ylab))
    p.append(r"\qbezier(18,12)(40,46)(112,44)\qbezier(18,11)(60,30)(112,32)")
    p.append(r"\put(88,18){\scriptsize Ours}\put(88,13){\scriptsize Baseline}")
    p.append(r"\end{picture}}")
    return "\n".join(p)


def _heading(b, layout):
    cmd = ["section", "subsection", "subsubsection"][b["level"] - 1]
    if not b["num"]:
        return "\\%s*{%s}" % (cmd, tex_text(b["title"]))
    sep = ". " if layout == "twocol" else r"\quad "
    return "\\%s*{%s%s%s}" % (cmd, tex_text(b["num"]), sep, tex_text(b["title"]))


def _table(b, layout):
    rows = b["rows"]
    ncols = len(rows[0])
    env = "table*" if layout == "twocol" and ncols > 4 else "table"
    spec = "l" + "c" * (ncols - 1)
    # "{}" first: a row must not start with "[" (it would be read as \\[dim]).
    body = ["{}" + " & ".join(tex_text(c) for c in rows[0]) + r" \\ \hline"]
    body += ["{}" + " & ".join(tex_text(c) for c in r) + r" \\" for r in rows[1:]]
    cap = ""
    if b["caption"]:
        cap = "\\capline{\\small %s}\\vspace{4pt}\n" % tex_text(b["caption"])
    return ("\\begin{%s}[!tbp]\n%s\\centering\\small\\fitwidth{\\begin{tabular}{%s}\\hline\n"
            "%s\n\\hline\\end{tabular}}\n\\end{%s}" % (env, cap, spec, "\n".join(body), env))


def _refs(b, layout):
    size = "\\small\n" if layout in ("neurips", "twocol") else ""
    if not b["numbered"]:
        items = ["\\item[] " + tex_text(e) for e in b["entries"]]
        return "{%s\\begin{ayrefs}\n%s\n\\end{ayrefs}\\par}" % (size, "\n".join(items))
    items, widest = [], "[9]"
    for e in b["entries"]:
        if e.startswith("[") and "]" in e:
            label, rest = e.split("]", 1)
            label += "]"
            widest = max(widest, label, key=len)
            items.append("\\item[{%s}] %s" % (tex_text(label), tex_text(rest.strip())))
        else:
            items.append("\\item[] " + tex_text(e))
    return "{%s\\begin{numrefs}{%s}\n%s\n\\end{numrefs}\\par}" % (
        size, tex_text(widest), "\n".join(items))


def _math(b, ctx, mode, layout):
    if mode != "full" or not b["tex"]:
        if mode == "nomath":
            return ""
        tex = _FORMULAS[ctx["eq"] % len(_FORMULAS)]
    else:
        tex = "\\begin{aligned}%s\\end{aligned}" % b["tex"]
    ctx["eq"] += 1
    env = "\\begin{equation}\n%s\n\\end{equation}" % tex
    if layout != "twocol":
        env = "\\begin{linenomath*}\n%s\n\\end{linenomath*}" % env
    return env


def block_tex(b, layout, ctx, mode):
    k = b["k"]
    if k == "h":
        return _heading(b, layout)
    if k == "p":
        t = tex_text(b["text"])
        return "\\textbf{%s}" % t if b["bold"] else t
    if k == "list":
        items = ["\\item%s %s" % ("[{%s}]" % tex_text(lab) if lab else "{}", tex_text(t))
                 for lab, t in b["items"]]
        return "\\begin{itemize}\n%s\n\\end{itemize}" % "\n".join(items)
    if k == "table":
        return "" if mode == "minimal" else _table(b, layout)
    if k == "fig":
        ctx["fig"] += 1
        cap = ("\\par\\vspace{5pt}\n\\capline{%s%s}\n" % (
            "\\small " if layout == "twocol" else "", tex_text(b["caption"]))
            if b["caption"] else "")
        return "\\begin{figure}[!tbp]\n\\centering\n%s\n%s\\end{figure}" % (
            _plot(ctx["fig"] + ctx["salt"]), cap)
    if k == "math":
        return _math(b, ctx, mode, layout)
    if k == "code":
        if mode == "minimal":
            return ""
        return ("\\begin{footnotesize}\n\\begin{verbatim}\n%s\n\\end{verbatim}\n"
                "\\end{footnotesize}" % "\n".join(b["lines"]))
    if k == "refs":
        return _refs(b, layout)
    raise ValueError(k)


def _authors_tex(paper):
    lines = []
    for n, a in enumerate(shown_authors(paper, "twocol")):
        t = "{}" + tex_text(a)
        if n == 0:
            t = "{\\large %s}" % t
        elif "@" in a:
            t = "{\\small\\ttfamily %s}" % t
        lines.append(t)
    return "\\\\\n".join(lines)


def document(paper, layout, mode="full", cut_markers=True):
    """Complete LaTeX source.  mode: full | synthetic | nomath | minimal."""
    fonts = {"iclr": ("\\large\\scshape", "\\normalsize\\bfseries", "\\normalsize\\bfseries"),
             "neurips": ("\\large\\bfseries", "\\normalsize\\bfseries", "\\normalsize\\bfseries"),
             "twocol": ("\\large\\bfseries", "\\normalsize\\bfseries", "\\normalsize\\bfseries")}
    sections = _SECTIONS
    for n, font in enumerate(fonts[layout]):
        sections = sections.replace("@@H%d@@" % (n + 1), font)
    fields = {"common": _COMMON, "sections": sections,
              "title": tex_text(paper.title),
              "abstract": "\n\n".join(tex_text(p) for p in paper.abstract),
              "stamp": arxiv_stamp(paper.id), "date": date_line(paper.id),
              "authors": _authors_tex(paper) if layout == "twocol" else ""}
    template = {"iclr": _ICLR, "neurips": _NEURIPS, "twocol": _TWOCOL}[layout]
    for key, value in fields.items():
        template = template.replace("%%(%s)s" % key, value)
    out = [template]
    ctx = {"fig": 0, "eq": 0, "salt": _hash(paper.id, "plot") % 5}
    units = set(paper.units_after_refs()) if cut_markers else set()
    for i, b in enumerate(paper.blocks):
        if i in units:
            out.append("\\label{cut:%d}" % i)
        t = block_tex(b, layout, ctx, mode)
        if t:
            out.append(t)
    if cut_markers:
        out.append("\\label{cut:end}")
    out.append("\\end{document}\n")
    return "\n\n".join(out)
