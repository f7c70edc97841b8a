#!/usr/bin/env bash
# Benchmark 3: every dev paper assessed with 2 workers (one thread each):
# total wall-clock seconds, index loading included. The papers are dealt
# round-robin to two `novelta assess` processes.
source "$(dirname "$0")/common.sh"
need_index
WORKERS="${1:-2}"
$PY - "$DEV" "$WORK/batch" "$WORKERS" <<'PYEOF'
import gzip, sys
w = int(sys.argv[3])
outs = [open(f"{sys.argv[2]}-{i}.jsonl", "w") for i in range(w)]
with gzip.open(sys.argv[1], "rt") as f:
    for i, line in enumerate(f):
        outs[i % w].write(line)
PYEOF
start=$(date +%s.%N)
pids=()
for ((i = 0; i < WORKERS; i++)); do
  OMP_NUM_THREADS=1 "$NOVELTA" assess "$WORK/batch-$i.jsonl" --index "$INDEX" \
    > "$WORK/batch-$i.reports.jsonl" 2> "$WORK/batch-$i.log" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
end=$(date +%s.%N)
$PY - "$start" "$end" "$WORKERS" "$WORK"/batch-*.reports.jsonl > "$RESULTS/assess_batch.json" <<'PYEOF'
import json, sys
secs = float(sys.argv[2]) - float(sys.argv[1])
n = sum(sum(1 for _ in open(p)) for p in sys.argv[4:])
print(json.dumps({"papers": n, "workers": int(sys.argv[3]), "seconds": secs,
                  "papers_per_second": n / secs}))
PYEOF
cat "$RESULTS/assess_batch.json"
