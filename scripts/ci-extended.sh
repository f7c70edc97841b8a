#!/usr/bin/env bash
# The long checks, after .ci/run: the whole suite under ASan + UBSan, a short
# fuzzing pass over every parser, and a short soak of the server. Each step
# prints its duration. Usage: scripts/ci-extended.sh [fuzz seconds per target]
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds="${1:-20}"
step() {
  local name="$1"
  shift
  local t0=$SECONDS
  echo "::: $name"
  "$@"
  echo "::: $name took $((SECONDS - t0)) s"
}
step "tests under ASan + UBSan" scripts/sanitize.sh
step "fuzzing, ${fuzz_seconds} s per target" fuzz/run.sh --seconds "$fuzz_seconds"
step "soak, 30 s" bench/soak.sh --seconds 30
echo "::: extended checks took $SECONDS s"
