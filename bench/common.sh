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

# Installs the Debian packages named that are missing (apt-get, as root or
# with sudo; the package lists are refreshed first on a fresh machine).
need_debian_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "bench: installing ${missing[*]}" >&2
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null 2>&1; then
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

need_index() {
  if [ ! -f "$INDEX/manifest.json" ]; then
    echo "bench: no index at $INDEX; run bench/index_build.sh first" >&2
    exit 1
  fi
}

need_bench_programs() {
  # Always built (incrementally): a program older than the sources would measure old code.
  [ -f "$BENCH_BUILD/CMakeCache.txt" ] ||
    cmake -S "$BENCH_DIR" -B "$BENCH_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BENCH_BUILD" --target retrieval_bench scale_bench pdf_bench -j2 >/dev/null
}
