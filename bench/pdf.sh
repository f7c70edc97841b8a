#!/usr/bin/env bash
# Benchmark: reading PDF submissions. Renders dev papers with LaTeX in three
# layouts (an ICLR-like review copy, a NeurIPS-like submission, a two-column
# CVPR/ACL-like paper; bench/pdf/render_papers.py, TeX Live from Debian),
# reads every PDF as `novelta assess` does and scores, per layout: title
# exact, abstract token F1, headings found, references found against what
# the page shows; with the index, also claims and cited marks against the
# same paper read from its Markdown. Times the reading (best of 3 passes)
# and one long paper. Results: $RESULTS/pdf.jsonl.
#
# Environment: PER_LAYOUT (papers per layout, default 20), PASSES (default 3).
source "$(dirname "$0")/common.sh"
need_debian_packages texlive-latex-base texlive-latex-recommended texlive-fonts-recommended
need_bench_programs
PER_LAYOUT="${PER_LAYOUT:-20}"
PASSES="${PASSES:-3}"
PDFS="$WORK/pdfcorpus-$PER_LAYOUT"
if [ ! -f "$PDFS/manifest.json" ]; then
  echo "bench: rendering $PER_LAYOUT papers per layout into $PDFS" >&2
  $PY "$BENCH_DIR/pdf/render_papers.py" --data "$DEV" --out "$PDFS" --per-layout "$PER_LAYOUT" --long --jobs 2 >&2
fi
args=(--corpus "$PDFS" --passes "$PASSES")
long=$(ls "$PDFS"/long/*.pdf 2>/dev/null | head -1 || true)
[ -n "$long" ] && args+=(--long "$long")
if [ -f "$INDEX/manifest.json" ]; then
  args+=(--index "$INDEX")
else
  echo "bench: no index at $INDEX; claims and cited marks are not compared (bench/index_build.sh)" >&2
fi
"$BENCH_BUILD/pdf_bench" "${args[@]}" --details "$RESULTS/pdf-papers.jsonl" > "$RESULTS/pdf.jsonl"
cat "$RESULTS/pdf.jsonl"
