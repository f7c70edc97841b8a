#!/usr/bin/env bash
# Benchmark 4: retrieval alone — queries/s and recall@20 of cited prior work,
# novelta vs scikit-learn TF-IDF + cosine vs Xapian BM25, on the same queries.
source "$(dirname "$0")/common.sh"
need_index
need_bench_programs
if ! $PY -c "import sklearn, xapian" 2>/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    python3-sklearn python3-xapian >/dev/null
fi
OMP_NUM_THREADS=1 "$BENCH_BUILD/retrieval_bench" --index "$INDEX" --dev "$DEV" \
  --out-queries "$WORK/retrieval-queries.jsonl" > "$RESULTS/retrieval.jsonl"
OMP_NUM_THREADS=1 $PY "$BENCH_DIR/baselines.py" "$CORPUS" "$WORK/retrieval-queries.jsonl" \
  --xapian-db "$WORK/xapian-db" >> "$RESULTS/retrieval.jsonl"
cat "$RESULTS/retrieval.jsonl"
