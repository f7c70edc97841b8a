#!/usr/bin/env bash
# Soak test of `novelta serve` on loopback: builds the fixture index, starts
# the server on a free port with a fresh state directory, runs 64 concurrent
# clients (bench/soak_client.py) mixing submissions, polls and POST
# /v1/related for a bounded time, then checks that there was no 5xx other than
# deliberate 503s and that every accepted job finished, and prints the
# server's RSS over time. Exits 1 when a check fails.
#
# Usage: bench/soak.sh [--seconds 600] [--clients 64] [--binary build/novelta] [--workers 2]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
clients=64
binary=build/novelta
workers=2
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --clients) clients="$2"; shift ;;
    --binary) binary="$2"; shift ;;
    --workers) workers="$2"; shift ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$binary" ] || { echo "soak.sh: no novelta binary at $binary (build it, or pass --binary)" >&2; exit 2; }

source bench/fixture_server.sh
work=$(mktemp -d /tmp/novelta-soak.XXXXXX)
cleanup() {
  stop_fixture_server
  rm -rf "$work"
}
trap cleanup EXIT

# The rate limit is raised so the clients measure the server, not the limiter
# (the limiter has its own tests); the queue bound stays, so overload is a 503.
start_fixture_server "$binary" "$work" '"workers": '"$workers"', "max_queue": 300, "rate_limit_per_second": 100000,
 "rate_limit_burst": 100000, "shutdown_grace_seconds": 5, "log_level": "info"'
echo "soak: server pid $server_pid on 127.0.0.1:$port, $clients clients for ${seconds}s"

set +e
python3 bench/soak_client.py --port "$port" --key "$key" --clients "$clients" --seconds "$seconds" \
  --server-pid "$server_pid"
rc=$?
set -e
errors=$(grep -c -E '\[(error|critical)\]' "$server_log" || true)
echo "server log: $(wc -l <"$server_log") lines, $errors at error level"
if [ "$errors" != 0 ]; then grep -E '\[(error|critical)\]' "$server_log" | head -5; fi
exit $rc
