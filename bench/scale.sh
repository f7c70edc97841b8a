#!/usr/bin/env bash
# Benchmark 6: corpora grown from the real one with perturbed copies (see
# scale_bench.cc): index build time, bytes per paper on disk and in memory,
# query latency and recall@10 against exact search.
# Usage: bench/scale.sh [SIZES...]   (default: 100000 1000000 5000000)
# Scratch goes to $SCALE_DIR (default /tmp/novelta-scale); each size's
# vectors are deleted after its run unless KEEP=1.
source "$(dirname "$0")/common.sh"
need_index
need_bench_programs
SCALE_DIR="${SCALE_DIR:-/tmp/novelta-scale}"
TYPE="${SCALE_INDEX_TYPE:-auto}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 5000000)
: > "$RESULTS/scale.jsonl"
for n in "${sizes[@]}"; do
  dir="$SCALE_DIR/$n"
  mkdir -p "$dir"
  corpus_flag=""
  [ "$n" -le 1000000 ] && corpus_flag="--write-corpus"  # 5M as JSON is ~5 GB of /tmp: vectors only
  /usr/bin/time -v "$BENCH_BUILD/scale_bench" build --index "$INDEX" --corpus "$CORPUS" --n "$n" \
    --out "$dir" --type "$TYPE" $corpus_flag > "$dir.build.json" 2> "$dir.build.time" || {
      echo "scale: build of $n failed; see $dir.build.time" >&2; continue; }
  "$BENCH_BUILD/scale_bench" query --out "$dir" > "$dir.query.json"
  $PY - "$dir.build.json" "$dir.query.json" "$dir.build.time" >> "$RESULTS/scale.jsonl" <<'PYEOF'
import json, re, sys
b = json.load(open(sys.argv[1])); q = json.load(open(sys.argv[2]))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[3]).read()).group(1))
b.update(q); b["build_peak_rss_mib"] = rss / 1024
print(json.dumps(b))
PYEOF
  tail -1 "$RESULTS/scale.jsonl"
  [ "${KEEP:-0}" = 1 ] || rm -f "$dir/vectors.f32"
done
