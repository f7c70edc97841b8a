#!/usr/bin/env bash
# Hostile clients against `novelta serve` with its default HTTP settings, on
# loopback: slow bodies, a 10^12-byte Content-Length, endless headers,
# pipelining, TRACE, log forging, PDF deflate bombs, idle connections, too many
# connections from one address, malformed requests and wrong keys
# (bench/hostile_client.py, each probe bounded in time), then a server given
# a state URI of an unknown scheme. Prints one line per probe; exits 1 when
# one misses its target.
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
# The client's probes: all, or those of --only but "state" (run here).
client_only=$(echo ",$only," | sed 's/,state,/,/g; s/^,*//; s/,*$//')
if [ -z "$only" ] || [ -n "$client_only" ]; then
  python3 bench/hostile_client.py --port "$port" --pid "$server_pid" --key "$key" --log "$server_log" \
    --bomb-mib "$bomb_mib" ${client_only:+--only "$client_only"} || rc=$?
fi

if [ -z "$only" ] || [[ ",$only," == *",state,"* ]]; then
  # A state URI of a scheme the service does not know must be refused, never
  # taken for a directory named after it, and leave the running server alone.
  set +e
  refused=$(timeout 60 "$binary" serve --index "$work/index" --state "mysql://db/novelta" --port 0 2>&1 >/dev/null)
  refused_rc=$?
  set -e
  if [ "$refused_rc" != 0 ] && [[ "$refused" == *"unknown state URI scheme"* ]] && [ ! -e "mysql:" ] &&
     curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null; then
    echo "PASS serve --state mysql://...           refused (exit $refused_rc), nothing created, the first still ready  [target: refused]"
  else
    echo "FAIL serve --state mysql://...           exit $refused_rc: $(echo "$refused" | tail -1)  [target: refused]"
    rc=1
  fi
fi
kill -0 "$server_pid" 2>/dev/null || { echo "FAIL the server died:"; tail -20 "$server_log"; exit 1; }
errors=$(grep -c -E '\[(error|critical)\]' "$server_log" || true)
echo "server log: $(wc -l <"$server_log") lines, $errors at error level; RSS now $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$server_pid/status)"
exit $rc
