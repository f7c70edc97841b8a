# `novelta serve` on the fixture index, for the loopback load and hostile-client
# scripts (sourced, not run). start_fixture_server BINARY WORK SETTINGS_JSON
# builds the tiny fixture index in WORK, starts the server on a free port with
# a fresh state directory, the settings given (JSON object members, may be
# empty) and a new admin key, and sets server_pid, port, key and server_log.
# stop_fixture_server stops it (SIGTERM); call it from the script's EXIT trap.
server_pid=""
port=""
key=""
server_log=""

start_fixture_server() {
  local binary="$1" work="$2" settings="$3" name
  name="$(basename "$0")"
  "$binary" index build --quiet --corpus corpora/fixtures/tiny-corpus.jsonl --out "$work/index" \
    --vocab-size 400 --dimensions 24
  key="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  server_log="$work/server.log"
  cat >"$work/config.json" <<JSON
{"index_dir": "$work/index", "state_dir": "$work/state", "port": 0${settings:+, $settings}}
JSON
  NOVELTA_BOOTSTRAP_API_KEY="$key" "$binary" serve --config "$work/config.json" >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$server_log" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "$name: the server exited:"; cat "$server_log"; exit 1; }
    sleep 0.1
  done
  echo "$name: the server did not start"; cat "$server_log"; exit 1
}

stop_fixture_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
