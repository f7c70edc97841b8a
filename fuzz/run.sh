#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, coverage) into build-fuzz
# and runs each for a bounded time from its seed corpus (fuzz/corpus/TARGET).
# New interesting inputs go to build-fuzz/corpus/TARGET (kept between runs);
# crashes, hangs and leaks to build-fuzz/artifacts/TARGET. Prints executions
# per target; exits 1 when any target found something.
#
# Usage: fuzz/run.sh [--seconds N] [--only TARGET] [--jobs N] [--no-build | --build-only]
#   --seconds N   time per target (default 60)
#   --only T      run one target (e.g. pdf_fuzzer)
#   --jobs N      parallel build jobs (default 2)
#   --no-build    run what build-fuzz holds; --build-only: build, do not run
# Reproduce a finding: build-fuzz/fuzz/TARGET build-fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
only=""
jobs=2
build=1
build_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --only) only="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --no-build) build=0 ;;
    --build-only) build_only=1 ;;
    *) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
out=build-fuzz
targets=(submission_json_fuzzer jsonl_fuzzer markdown_fuzzer plain_text_fuzzer pdf_fuzzer pdf_layout_fuzzer
         corpus_record_fuzzer import_record_fuzzer sentence_splitter_fuzzer review_fuzzer
         assessment_fuzzer http_request_fuzzer http_server_fuzzer)
if [ -n "$only" ]; then targets=("$only"); fi

if [ "$build" = 1 ]; then
  # -O1 with line tables only: what libFuzzer recommends, and it builds faster than -O2 -g.
  CC=clang CXX=clang++ cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DNOVELTA_FUZZ=ON -DNOVELTA_SANITIZE=ON -DNOVELTA_WITH_SERVICES=ON >/dev/null
  cmake --build "$out" -j "$jobs" --target "${targets[@]}"
fi
[ "$build_only" = 1 ] && exit 0

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$PWD/scripts/ubsan-suppressions.txt${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"

status=0
summary=()
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
  log="$out/artifacts/$t/last-run.log"
  # -timeout: one input taking 10 s is a hang. -rss_limit_mb: a runaway allocation is a finding.
  # -max_len: 64 KiB reaches every limit the parsers are configured with here.
  set +e
  "$out/fuzz/$t" "$out/corpus/$t" "fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  found=$(find "$out/artifacts/$t" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
  result="ok"
  if [ "$rc" != 0 ]; then
    result="FOUND (exit $rc; see $log)"
    status=1
    # CI keeps only what is printed: the finding's report, and the input that caused it.
    grep -v -E '^#[0-9]+ ' "$log" | tail -n 60 >&2 || true
    for a in "$out/artifacts/$t"/crash-* "$out/artifacts/$t"/leak-* "$out/artifacts/$t"/timeout-* "$out/artifacts/$t"/oom-*; do
      if [ -f "$a" ]; then echo "input $a (escaped):" >&2; head -c 2048 "$a" | od -c | head -n 40 >&2; fi
    done
  fi
  summary+=("$(printf '%-26s %10s execs  cov %6s  artifacts %2s  %s' "$t" "$execs" "$cov" "$found" "$result")")
  echo "${summary[-1]}"
done
echo
echo "fuzz summary (${seconds}s per target):"
printf '%s\n' "${summary[@]}"
exit $status
