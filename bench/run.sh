#!/usr/bin/env bash
# Runs every benchmark and prints the table (see bench/README.md).
# Usage: bench/run.sh [--skip-scale] [--scale-sizes "100000 1000000 5000000"]
# Each part also runs alone: index_build.sh, assess_latency.sh, assess_batch.sh,
# retrieval.sh, scale.sh (and rest_bench.sh when present).
source "$(dirname "$0")/common.sh"
skip_scale=0
scale_sizes="100000 1000000 5000000"
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-scale) skip_scale=1 ;;
    --scale-sizes) scale_sizes="$2"; shift ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ ! -x "$NOVELTA" ]; then
  cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/build" --target novelta -j2 >/dev/null
fi
need_bench_programs
rm -f "$RESULTS"/*.json "$RESULTS"/*.jsonl
echo "== 1. index build";          "$BENCH_DIR/index_build.sh"
echo "== 2. one assessment";       "$BENCH_DIR/assess_latency.sh"
echo "== 3. batch";                "$BENCH_DIR/assess_batch.sh"
echo "== 4. retrieval";            "$BENCH_DIR/retrieval.sh"
if [ -x "$BENCH_DIR/rest_bench.sh" ]; then
  echo "== 5. REST";                "$BENCH_DIR/rest_bench.sh" || echo "rest_bench.sh failed" >&2
fi
if [ "$skip_scale" = 0 ]; then
  echo "== 6. scale";              "$BENCH_DIR/scale.sh" $scale_sizes
fi
$PY "$BENCH_DIR/table.py" "$RESULTS"
