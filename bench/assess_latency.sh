#!/usr/bin/env bash
# Benchmark 2: one assessment (title + abstract + introduction), one thread:
# median and p99 of the reports' timing_ms.total (index load excluded) over
# the first N dev papers that have full text (default 200).
source "$(dirname "$0")/common.sh"
need_index
N="${1:-200}"
$PY - "$DEV" "$N" > "$WORK/latency-sample.jsonl" <<'PYEOF'
import gzip, json, sys
n = int(sys.argv[2]); k = 0
with gzip.open(sys.argv[1], "rt") as f:
    for line in f:
        if k >= n: break
        if json.loads(line).get("fulltext"):
            sys.stdout.write(line); k += 1
PYEOF
OMP_NUM_THREADS=1 "$NOVELTA" assess "$WORK/latency-sample.jsonl" --index "$INDEX" \
  > "$WORK/latency-reports.jsonl"
$PY - "$WORK/latency-reports.jsonl" > "$RESULTS/assess_latency.json" <<'PYEOF'
import json, sys
t = sorted(json.loads(l)["timing_ms"]["total"] for l in open(sys.argv[1]))
q = lambda p: t[min(len(t) - 1, int(p * len(t)))]
print(json.dumps({"papers": len(t), "median_ms": q(0.5), "p99_ms": q(0.99), "max_ms": t[-1]}))
PYEOF
cat "$RESULTS/assess_latency.json"
