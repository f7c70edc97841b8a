#!/usr/bin/env bash
# Benchmark 4: retrieval alone — queries/s and recall@20 of cited prior work,
# novelta vs scikit-learn TF-IDF + cosine vs Xapian BM25, on the same queries.
source "$(dirname "$0")/common.sh"
need_index
need_bench_programs
# The baselines run on Debian's python3 with its scikit-learn and Xapian bindings.
$PY -c "import sklearn, xapian" 2>/dev/null || need_debian_packages python3-sklearn python3-xapian
# Rates are the best of PASSES timed passes over the queries (novelta and
# scikit-learn alike): on a shared machine one pass can vary by 20%.
PASSES="${PASSES:-3}"
OMP_NUM_THREADS=1 "$BENCH_BUILD/retrieval_bench" --index "$INDEX" --dev "$DEV" --passes "$PASSES" \
  --out-queries "$WORK/retrieval-queries.jsonl" > "$RESULTS/retrieval.jsonl"
OMP_NUM_THREADS=1 $PY "$BENCH_DIR/baselines.py" "$CORPUS" "$WORK/retrieval-queries.jsonl" \
  --passes "$PASSES" --xapian-db "$WORK/xapian-db" >> "$RESULTS/retrieval.jsonl"
cat "$RESULTS/retrieval.jsonl"
# The word index and scikit-learn again, alternating in ROUNDS rounds, so that
# each ratio compares the two under the same load of the machine: the word
# index, bound by memory, moves with that load more than scikit-learn does.
ROUNDS="${ROUNDS:-3}"
: > "$RESULTS/retrieval-rounds.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  ours=$(OMP_NUM_THREADS=1 "$BENCH_BUILD/retrieval_bench" --index "$INDEX" --dev "$DEV" --passes "$PASSES" \
    --systems novelta-bm25 | tail -1)
  theirs=$(OMP_NUM_THREADS=1 $PY "$BENCH_DIR/baselines.py" "$CORPUS" "$WORK/retrieval-queries.jsonl" \
    --passes "$PASSES" --systems tfidf | tail -1)
  $PY - "$round" "$ours" "$theirs" >> "$RESULTS/retrieval-rounds.jsonl" <<'PYEOF'
import json, sys
ours, theirs = json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(json.dumps({"round": int(sys.argv[1]), "system": ours["system"], "baseline": theirs["system"],
                  "queries_per_second": ours["queries_per_second"],
                  "baseline_queries_per_second": theirs["queries_per_second"],
                  "ratio": ours["queries_per_second"] / theirs["queries_per_second"]}))
PYEOF
  tail -1 "$RESULTS/retrieval-rounds.jsonl"
done
