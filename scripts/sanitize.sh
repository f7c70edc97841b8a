#!/usr/bin/env bash
# Builds novelta with AddressSanitizer + UndefinedBehaviorSanitizer into
# build-asan and runs the whole CTest suite there. Any sanitizer report fails
# the run: ASan aborts on the first error, and UBSan is made fatal too.
# Usage: scripts/sanitize.sh [--build-only] [--jobs N] [-- extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=2
build_only=0
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-only) build_only=1 ;;
    --jobs) jobs="$2"; shift ;;
    --) shift; ctest_args=("$@"); break ;;
    *) echo "sanitize.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# RelWithDebInfo: sanitizer reports need line numbers; -O2 keeps the suite fast.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNOVELTA_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
[ "$build_only" = 1 ] && exit 0
# detect_leaks: a leak is a failure. halt_on_error / print_stacktrace: one clear report.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# Sanitized binaries run 2-5x slower: give every test a longer timeout.
ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 600 "${ctest_args[@]}"
