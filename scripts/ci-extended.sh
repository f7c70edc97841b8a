#!/usr/bin/env bash
# The long checks, beyond .ci/run (which already runs the suite under ASan +
# UBSan and a short fuzzing pass): fuzzing every parser for longer, a soak of
# the server, hostile clients against it, PDFs rendered with LaTeX read back
# (3 papers per layout; bench/pdf.sh with 20 is the measurement), replicas on
# PostgreSQL under kill -9 (300 submissions; bench/replicas.sh with 1,000 is
# the measurement) and the runtime image built and run. Each step prints its
# duration.
# Usage: scripts/ci-extended.sh [fuzz seconds per target, default 300]
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds="${1:-300}"
step() {
  local name="$1"
  shift
  local t0=$SECONDS
  echo "::: $name"
  "$@"
  echo "::: $name took $((SECONDS - t0)) s"
}
step "fuzzing, ${fuzz_seconds} s per target" fuzz/run.sh --seconds "$fuzz_seconds"
step "soak, 120 s" bench/soak.sh --seconds 120
step "hostile clients" bench/hostile.sh
step "PDF reading, 3 papers per layout" env PER_LAYOUT=3 bench/pdf.sh
step "replicas on PostgreSQL, one killed -9 every 10 s" bench/replicas.sh --submissions 300 --kill-every 10 --throughput-jobs 150
step "runtime image built and run: one container, three replicas on PostgreSQL" scripts/container.sh
echo "::: extended checks took $SECONDS s"
