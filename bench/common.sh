# Shared settings of the benchmark scripts (sourced, not run).
# Override any of these from the environment.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
DATA="${NOVELTA_DATA:-$ROOT/../shared/data}"
CORPUS="${NOVELTA_CORPUS:-$DATA/corpus/prior-work.jsonl.gz}"
DEV="${NOVELTA_DEV:-$DATA/eval/neurips2025-dev.jsonl.gz}"
# The novelta binary (scripts/setup.sh builds it into ./build).
NOVELTA="${NOVELTA_BIN:-$ROOT/build/novelta}"
# Where bench/CMakeLists.txt's programs are built.
BENCH_BUILD="${NOVELTA_BENCH_BUILD:-$ROOT/build-bench}"
# Scratch space and results (never inside the repository).
WORK="${NOVELTA_BENCH_WORK:-/tmp/novelta-bench}"
RESULTS="$WORK/results"
INDEX="$WORK/index"
PY=/usr/bin/python3   # Debian's python, with python3-sklearn and python3-xapian
mkdir -p "$WORK" "$RESULTS"

need_index() {
  if [ ! -f "$INDEX/manifest.json" ]; then
    echo "bench: no index at $INDEX; run bench/index_build.sh first" >&2
    exit 1
  fi
}

need_bench_programs() {
  if [ ! -x "$BENCH_BUILD/retrieval_bench" ] || [ ! -x "$BENCH_BUILD/scale_bench" ]; then
    cmake -S "$BENCH_DIR" -B "$BENCH_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BENCH_BUILD" --target retrieval_bench scale_bench -j2 >/dev/null
  fi
}
