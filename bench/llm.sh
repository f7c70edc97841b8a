#!/usr/bin/env bash
# The LLM engine's cost on full-text dev papers, without a model (bench/llm_bench.cc): prompt bytes
# and tokens of each call per paper, and what an assessment adds to the offline one when every
# answer comes from the cache (the target: under 5 ms).
# Usage: bench/llm.sh [PAPERS] (default 100)
source "$(dirname "$0")/common.sh"
need_index
cmake -S "$BENCH_DIR" -B "$BENCH_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BENCH_BUILD" --target llm_bench -j "$(nproc)" >/dev/null
"$BENCH_BUILD/llm_bench" --index "$INDEX" --dev "$DEV" --papers "${1:-100}" --passes 3 | tee "$RESULTS/llm.txt"
