#!/usr/bin/env bash
# Replicas on one PostgreSQL under kill -9 (bench/replicas.py): throughput with one and two
# replicas, then 1,000 full-text submissions to three replicas with one killed every 20 s and
# restarted; prints lost jobs, outcomes recorded twice, take-over times and GET p99, and writes
# them to $RESULTS/replicas.json. Exits 1 when a job is lost or recorded twice, or a take-over
# misses lease + 5 s.
#
# Usage: bench/replicas.sh [options of bench/replicas.py, e.g. --submissions 300 --kill-every 10]
# Uses the index at $NOVELTA_BENCH_WORK/index (built by bench/index_build.sh when missing) and
# Debian's postgresql (installed when missing). Everything listens on 127.0.0.1 only.
source "$(dirname "$0")/common.sh"
[ -f "$INDEX/manifest.json" ] || "$BENCH_DIR/index_build.sh"
need_index
need_debian_packages postgresql
[ -x "$NOVELTA" ] || { echo "replicas.sh: no binary at $NOVELTA (build the novelta target)" >&2; exit 1; }
cd "$ROOT"
"$PY" bench/replicas.py --binary "$NOVELTA" --index "$INDEX" --dev "$DEV" --out "$RESULTS/replicas.json" "$@"
