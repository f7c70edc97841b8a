#!/usr/bin/env bash
# Hostile clients against `novelta serve` with its default HTTP settings, on
# loopback: slow bodies, a 10^12-byte Content-Length, endless headers,
# pipelining, TRACE, log forging, PDF deflate bombs, idle connections, too many
# connections from one address, malformed requests and wrong keys
# (bench/hostile_client.py, each probe bounded in time), then a second server
# on the same state directory. Prints one line per probe; exits 1 when one
# misses its target.
#
# Usage: bench/hostile.sh [--binary build/novelta] [--only slow,huge,...] [--bomb-mib 1.5]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=build/novelta
only=""
bomb_mib=1.5
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift ;;
    --only) only="$2"; shift ;;
    --bomb-mib) bomb_mib="$2"; shift ;;
    *) echo "hostile.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$binary" ] || { echo "hostile.sh: no novelta binary at $binary (build it, or pass --binary)" >&2; exit 2; }

source bench/fixture_server.sh
work=$(mktemp -d /tmp/novelta-hostile.XXXXXX)
cleanup() {
  stop_fixture_server
  rm -rf "$work"
}
trap cleanup EXIT

# Default settings, but for the index, the state and a free port.
start_fixture_server "$binary" "$work" ""
echo "hostile: server pid $server_pid on 127.0.0.1:$port, default HTTP settings, $(nproc) cores"

rc=0
python3 bench/hostile_client.py --port "$port" --pid "$server_pid" --key "$key" --log "$server_log" \
  --bomb-mib "$bomb_mib" ${only:+--only "$only"} || rc=$?

if [ -z "$only" ] || [[ ",$only," == *",second,"* ]]; then
  # A second server on the same state directory must be refused, leaving the first alone.
  set +e
  second=$(timeout 60 "$binary" serve --index "$work/index" --state "$work/state" --port 0 2>&1 >/dev/null)
  second_rc=$?
  set -e
  if [ "$second_rc" != 0 ] && [[ "$second" == *"in use by another running service"* ]] &&
     curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null; then
    echo "PASS a second serve on the same state   refused (exit $second_rc), the first still ready  [target: refused]"
  else
    echo "FAIL a second serve on the same state   exit $second_rc: $(echo "$second" | tail -1)  [target: refused]"
    rc=1
  fi
fi
kill -0 "$server_pid" 2>/dev/null || { echo "FAIL the server died:"; tail -20 "$server_log"; exit 1; }
errors=$(grep -c -E '\[(error|critical)\]' "$server_log" || true)
echo "server log: $(wc -l <"$server_log") lines, $errors at error level; RSS now $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$server_pid/status)"
exit $rc
