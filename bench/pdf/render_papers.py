#!/usr/bin/python3
"""Render papers' Markdown full texts into conference-like PDFs + ground truth.

For measuring how well the PDF reader recovers title, abstract, section
headings and references.  Standard library only; needs pdflatex (TeX Live:
latex-base, latex-recommended, fonts-recommended).

  render_papers.py --data neurips2025-dev.jsonl.gz --out /tmp/pdfcorpus \
      [--per-layout 20] [--layouts iclr,neurips,twocol] [--jobs 2] \
      [--max-pages 30] [--long] [--keep-tex]
  render_papers.py --source-md bench/pdf/sample_paper.md --id sample \
      --out pipeline/ingest/testdata/pdf

Corpus mode writes OUT/<layout>/<id>.{tex,pdf,md,truth.json} and
OUT/manifest.json (and OUT/long/<id>.* with --long).  Papers are the records
with a fulltext, sorted by id; layout k of (iclr, neurips, twocol) takes
records k, k+3, k+6, ... so the sets are disjoint and a smaller --per-layout
gives a prefix of a larger one.  A paper that cannot be parsed (no title,
abstract or references) or compiled is skipped, recorded in the manifest and
replaced by the next record of its stream.

--source-md mode renders one Markdown file in every layout as
OUT/<id>_<layout>.{pdf,md,truth.json} (no .tex, no manifest).

<id>.md is the paper's canonical Markdown: exactly the prose the PDF shows
(title, shown author lines, abstract, headings with '#' per level, paragraphs,
lists, tables, figure placeholders + captions, code, references).  Display
formulas are rendered in the PDF but left out of the .md; the box drawn for a
figure ("0.2 0.4 0.6 Accuracy Epoch ...") is not in the .md either, nor are
running headers, page/line numbers, the arXiv stamp, the date line and the
NeurIPS footer notice.

<id>.truth.json: {id, layout, pages, title, abstract (paragraphs joined by a
blank line), headings [{level, text}] (every heading after the abstract,
References included; text as printed: "3.1 Title", twocol "3.1. Title";
level from the numbering depth, unnumbered = 1), references [entry text as
printed, "[n] ..." labels included], authors [lines as printed: the anonymous
block for iclr/neurips]}.  All text is canonical (texchars.py): compare it
with text read from the PDF after Unicode NFC (poppler returns some accented
letters decomposed) and, for ligatures, NFKC; ASCII quotes are ’ and ‘ on
both sides.
"""

import argparse
import concurrent.futures
import gzip
import json
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from layouts import LAYOUTS, document  # noqa: E402
from mdpaper import ParseError, canonical_markdown, parse_paper, truth  # noqa: E402

# Tried in order until one compiles: full = the paper's own $$ formulas
# rendered (skipped if it has none); synthetic = stock formulas in their place
# and for <!-- formula-not-decoded -->; nomath = no display formulas;
# minimal = no display formulas, tables or code blocks (also left out of .md).
MODES = ("full", "synthetic", "nomath", "minimal")
CODE_WIDTH = {"iclr": 80, "neurips": 80, "twocol": 48}
TEX_ENV = dict(os.environ, SOURCE_DATE_EPOCH="1735689600", FORCE_SOURCE_DATE="1",
               LC_ALL="C")
TIMEOUT = 180
# Fulltext characters per rendered page (measured on untruncated papers); a
# constant so that the --long pick does not depend on the other papers.
LONG_CHARS_PER_PAGE = 4150.0


# ---- pdflatex -------------------------------------------------------------

def pdflatex_version():
    try:
        out = subprocess.run(["pdflatex", "--version"], capture_output=True,
                             text=True, timeout=30).stdout
        return out.splitlines()[0] if out else "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"


def _first_error(log):
    lines = log.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("!"):
            return " ".join(l.strip() for l in lines[n:n + 3])[:300]
    return "no output (see log)"


def run_pdflatex(workdir, job, tex):
    """Write job.tex and run pdflatex once: (pages or None, error, labels)."""
    with open(os.path.join(workdir, job + ".tex"), "w", encoding="utf-8") as f:
        f.write(tex)
    cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
           "-no-shell-escape", "-jobname", job, job + ".tex"]
    try:
        subprocess.run(cmd, cwd=workdir, env=TEX_ENV, capture_output=True,
                       timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return None, "pdflatex timed out after %ds" % TIMEOUT, {}
    log = _read(os.path.join(workdir, job + ".log"))
    m = re.search(r"Output written on .*?\((\d+) pages?", log)
    if not m or "\n!" in log:
        return None, _first_error(log), {}
    labels = {}
    aux = _read(os.path.join(workdir, job + ".aux"))
    for name, page in re.findall(r"\\newlabel\{cut:(\w+)\}\{\{[^}]*\}\{(\d+)\}", aux):
        labels[name] = int(page)
    return int(m.group(1)), None, labels


def _read(path):
    try:
        with open(path, encoding="latin-1") as f:
            return f.read()
    except OSError:
        return ""


def _cleanup(workdir, job, keep_tex, keep_main_tex):
    exts = [] if keep_tex else [".aux", ".log", ".out"]
    if not keep_tex and not keep_main_tex:
        exts.append(".tex")
    for ext in exts:
        try:
            os.remove(os.path.join(workdir, job + ext))
        except OSError:
            pass


# ---- one paper ------------------------------------------------------------

def _truncate(paper, layout, mode, workdir, job, max_pages, pages, labels):
    """Drop sections after the references until the PDF fits max_pages."""
    units = paper.units_after_refs()
    dropped = 0
    for _ in range(4):
        if pages <= max_pages or not units:
            break
        ends = [labels.get(str(u), 10 ** 6) for u in units[1:]] + [labels.get("end", pages)]
        keep = 0
        while keep < len(units) and ends[keep] <= max_pages:
            keep += 1
        keep = min(keep, len(units) - 1)
        cut = units[keep]
        dropped += len(paper.blocks) - cut
        paper.blocks = paper.blocks[:cut]
        units = units[:keep]
        pages, err, labels = run_pdflatex(workdir, job, document(paper, layout, mode))
        if err:
            return None, err, dropped
    return pages, None, dropped


def render_paper(paper, layout, workdir, job, max_pages, keep_tex, keep_main_tex=True):
    """Compile paper (trying safer modes on failure); write pdf/md/truth.

    Returns a result dict with "ok" and, on success, pages/mode/dropped."""
    errors = []
    for mode in MODES:
        if mode == "full" and not any(b["k"] == "math" and b["tex"] for b in paper.blocks):
            continue
        _cleanup(workdir, job, False, True)  # no stale .aux from a failed mode
        pages, err, labels = run_pdflatex(workdir, job, document(paper, layout, mode))
        if err:
            errors.append("%s: %s" % (mode, err))
            continue
        dropped = 0
        if max_pages and pages > max_pages:
            pages, err, dropped = _truncate(paper, layout, mode, workdir, job,
                                            max_pages, pages, labels)
            if err:
                errors.append("%s/truncated: %s" % (mode, err))
                continue
        pages, err, _ = run_pdflatex(workdir, job, document(paper, layout, mode))
        if err:
            errors.append("%s/pass2: %s" % (mode, err))
            continue
        md = canonical_markdown(paper, layout, keep_tables=mode != "minimal",
                                keep_code=mode != "minimal")
        _write(os.path.join(workdir, job + ".md"), md)
        _write(os.path.join(workdir, job + ".truth.json"),
               json.dumps(truth(paper, layout, pages), ensure_ascii=False, indent=1) + "\n")
        _cleanup(workdir, job, keep_tex, keep_main_tex)
        return {"ok": True, "pages": pages, "mode": mode, "blocks_dropped": dropped,
                "errors": errors}
    _cleanup(workdir, job, keep_tex, keep_main_tex)
    for ext in (".pdf", ".tex"):
        if not keep_tex:
            try:
                os.remove(os.path.join(workdir, job + ext))
            except OSError:
                pass
    return {"ok": False, "reason": "; ".join(errors)[:600]}


def _write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def render_record(rec, layout, outdir, max_pages, keep_tex):
    start = time.time()
    try:
        paper = parse_paper(rec["id"], rec["fulltext"], CODE_WIDTH[layout])
    except ParseError as e:
        return {"ok": False, "reason": "parse: %s" % e}
    res = render_paper(paper, layout, outdir, rec["id"], max_pages, keep_tex)
    res["seconds"] = round(time.time() - start, 2)
    res["chars"] = len(rec["fulltext"])
    return res


# ---- corpus ---------------------------------------------------------------

def _records(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                if rec.get("fulltext"):
                    yield rec


def record_lengths(path):
    """{id: len(fulltext)} for the records that have a fulltext."""
    return {rec["id"]: len(rec["fulltext"]) for rec in _records(path)}


def record_texts(path, wanted):
    """{id: fulltext} for the wanted ids."""
    return {rec["id"]: rec["fulltext"] for rec in _records(path) if rec["id"] in wanted}


def run_corpus(args, layouts):
    lengths = record_lengths(args.data)
    ids = sorted(lengths)
    streams = {lay: ids[LAYOUTS.index(lay)::len(LAYOUTS)] for lay in layouts}
    wanted = set()
    for lay in layouts:
        wanted.update(streams[lay][:args.per_layout * 2 + 10])
    texts = record_texts(args.data, wanted)
    for lay in layouts:
        os.makedirs(os.path.join(args.out, lay), exist_ok=True)
    results = {lay: {} for lay in layouts}
    nxt = {lay: 0 for lay in layouts}

    def submit(pool, lay, futures):
        rid = streams[lay][nxt[lay]]
        nxt[lay] += 1
        if rid not in texts:
            texts.update(record_texts(args.data, set(streams[lay][nxt[lay] - 1:nxt[lay] + 20])))
        rec = {"id": rid, "fulltext": texts[rid]}
        fut = pool.submit(render_record, rec, lay, os.path.join(args.out, lay),
                          args.max_pages, args.keep_tex)
        futures[fut] = (lay, rid)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {}
        for lay in layouts:
            for _ in range(min(args.per_layout, len(streams[lay]))):
                submit(pool, lay, futures)
        while futures:
            done, _ = concurrent.futures.wait(futures, return_when="FIRST_COMPLETED")
            for fut in done:
                lay, rid = futures.pop(fut)
                res = fut.result()
                results[lay][rid] = res
                tag = "ok %d pages" % res["pages"] if res["ok"] else "SKIP " + res["reason"][:120]
                print("[%s] %s: %s" % (lay, rid, tag), file=sys.stderr, flush=True)
                if not res["ok"] and nxt[lay] < len(streams[lay]):
                    submit(pool, lay, futures)
    return results, streams, lengths


def _remove_outputs(outdir, rid):
    for ext in (".pdf", ".tex", ".md", ".truth.json", ".aux", ".log"):
        try:
            os.remove(os.path.join(outdir, rid + ext))
        except OSError:
            pass


def render_long(args, used, lengths, chars_per_page):
    """One ~30-page paper, untruncated, as OUT/long/<id>.* (neurips layout).

    Picks the unused paper whose length is closest to 30 pages' worth of
    text, and retries with a corrected target if the page count is off."""
    outdir = os.path.join(args.out, "long")
    os.makedirs(outdir, exist_ok=True)
    target, tried, best = 30 * chars_per_page, set(), None
    for _ in range(6):
        cands = sorted((abs(n - target), rid) for rid, n in lengths.items()
                       if rid not in used and rid not in tried)
        if not cands:
            break
        rid = cands[0][1]
        tried.add(rid)
        rec = {"id": rid, "fulltext": record_texts(args.data, {rid})[rid]}
        res = render_record(rec, "neurips", outdir, 0, args.keep_tex)
        res["id"] = rid
        if not res["ok"]:
            continue
        if best is None or abs(res["pages"] - 30) < abs(best["pages"] - 30):
            if best is not None:
                _remove_outputs(outdir, best["id"])
            best = res
        else:
            _remove_outputs(outdir, rid)
        if 27 <= res["pages"] <= 33:
            break
        target = target * 30.0 / res["pages"]
    return best or {"ok": False, "reason": "no paper rendered"}


def corpus_main(args):
    start = time.time()
    layouts = [l for l in args.layouts.split(",") if l]
    for lay in layouts:
        if lay not in LAYOUTS:
            sys.exit("unknown layout %r (known: %s)" % (lay, ", ".join(LAYOUTS)))
    results, streams, lengths = run_corpus(args, layouts)
    manifest = {"data": os.path.abspath(args.data), "per_layout": args.per_layout,
                "max_pages": args.max_pages, "pdflatex": pdflatex_version(),
                "layouts": {}, "skipped": []}
    used, pages = set(), 0
    for lay in layouts:
        papers = []
        for rid in streams[lay]:
            res = results[lay].get(rid)
            if res is None:
                continue
            used.add(rid)
            if res["ok"]:
                entry = {"id": rid, "pages": res["pages"], "mode": res["mode"],
                         "blocks_dropped": res["blocks_dropped"], "seconds": res["seconds"]}
                if res["errors"]:
                    entry["failed_modes"] = res["errors"]
                papers.append(entry)
                pages += res["pages"]
            else:
                manifest["skipped"].append({"id": rid, "layout": lay, "reason": res["reason"]})
        manifest["layouts"][lay] = papers
    if args.long:
        res = render_long(args, used, lengths, LONG_CHARS_PER_PAGE)
        manifest["long"] = res
    manifest["seconds"] = round(time.time() - start, 1)
    _write(os.path.join(args.out, "manifest.json"), json.dumps(manifest, indent=1) + "\n")
    n_ok = sum(len(v) for v in manifest["layouts"].values())
    print("rendered %d PDFs (%s), %d pages, skipped %d, %s%.0fs -> %s" % (
        n_ok, ", ".join("%s %d" % (l, len(manifest["layouts"][l])) for l in layouts),
        pages, len(manifest["skipped"]),
        ("long %s %s pages, " % (manifest["long"].get("id"), manifest["long"].get("pages"))
         if args.long and manifest.get("long") else ""),
        manifest["seconds"], args.out))


def source_md_main(args):
    with open(args.source_md, encoding="utf-8") as f:
        text = f.read()
    os.makedirs(args.out, exist_ok=True)
    layouts = [l for l in args.layouts.split(",") if l]
    for lay in layouts:
        try:
            paper = parse_paper(args.id, text, CODE_WIDTH[lay])
        except ParseError as e:
            sys.exit("%s: %s" % (args.source_md, e))
        job = "%s_%s" % (args.id, lay)
        res = render_paper(paper, lay, args.out, job, args.max_pages, args.keep_tex,
                           keep_main_tex=False)
        if not res["ok"]:
            sys.exit("%s: %s" % (job, res["reason"]))
        # The truth file names the paper, not the job.
        print("%s: %d pages (%s)" % (job, res["pages"], res["mode"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="papers, gzip JSON Lines with id and fulltext")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--per-layout", type=int, default=20)
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--max-pages", type=int, default=30,
                    help="drop sections after the references beyond this (0: no limit)")
    ap.add_argument("--long", action="store_true",
                    help="also render one ~30-page paper untruncated into OUT/long")
    ap.add_argument("--keep-tex", action="store_true",
                    help="keep .tex/.aux/.log (and failed papers' files)")
    ap.add_argument("--source-md", help="render this Markdown file instead of --data")
    ap.add_argument("--id", default="sample", help="paper id for --source-md")
    args = ap.parse_args(argv)
    if args.source_md:
        source_md_main(args)
    elif args.data:
        corpus_main(args)
    else:
        ap.error("need --data or --source-md")


if __name__ == "__main__":
    main()
