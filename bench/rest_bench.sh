#!/usr/bin/env bash
# REST service figures on loopback, against a real index:
#   1. POST /v1/related (stage 2 alone, synchronous) under wrk: requests/s, p50, p99
#   2. GET /v1/assessments/{id} (a finished job with its report) under wrk: requests/s, p50, p99
#   3. End to end: N dev submissions (title, abstract, submitted) through POST /v1/assessments:batch,
#      from the first request until the last job is done: submissions/s.
#
# Usage: bench/rest_bench.sh [--binary build/novelta] [--index DIR] [--duration 15] [--connections 8]
#                            [--batch-total 500] [--workers 2]
# Defaults: the index the other benchmarks use, $NOVELTA_BENCH_WORK/index (bench/index_build.sh),
# the dev set in ../shared/data/eval/neurips2025-dev.jsonl.gz. Installs wrk with apt when missing.
# Everything listens on 127.0.0.1 only; the server is stopped (SIGTERM) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=build/novelta
index="${NOVELTA_BENCH_WORK:-/tmp/novelta-bench}/index"
duration=15
connections=8
batch_total=500
workers=2
dev=../shared/data/eval/neurips2025-dev.jsonl.gz
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift ;;
    --index) index="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --connections) connections="$2"; shift ;;
    --batch-total) batch_total="$2"; shift ;;
    --workers) workers="$2"; shift ;;
    --dev) dev="$2"; shift ;;
    *) echo "rest_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$binary" ] || { echo "rest_bench.sh: no binary at $binary (build the novelta target)" >&2; exit 1; }
[ -f "$index/manifest.json" ] || { echo "rest_bench.sh: no index in $index" >&2; exit 1; }
[ -f "$dev" ] || { echo "rest_bench.sh: no dev set at $dev" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "rest_bench: installing wrk" >&2
  # A fresh machine has no package lists yet: refresh them if the install fails.
  $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 ||
    { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi

work=$(mktemp -d /tmp/novelta-rest-bench.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
key=$("$binary" keys create --state "$work/state" --name bench --scope admin 2>/dev/null)
base="http://127.0.0.1:$port"
# Rate limits off for the measurement (a key's limit would be the figure otherwise);
# the queue holds the whole batch.
NOVELTA_RATE_LIMIT_PER_SECOND=1000000 NOVELTA_RATE_LIMIT_BURST=1000000 NOVELTA_MAX_QUEUE=100000 \
NOVELTA_MAX_WAIT_SECONDS=600 NOVELTA_LOG_LEVEL=warn \
  "$binary" serve --index "$index" --state "$work/state" --port "$port" --workers "$workers" \
  >"$work/server.log" 2>&1 &
server_pid=$!
start_wait=$(date +%s)
until curl -fsS "$base/readyz" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { echo "rest_bench.sh: server exited:" >&2; tail -20 "$work/server.log" >&2; exit 1; }
  [ $(( $(date +%s) - start_wait )) -lt 300 ] || { echo "rest_bench.sh: server not ready after 300 s" >&2; exit 1; }
  sleep 0.2
done
papers=$(curl -fsS "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["index"]["papers"])')

# Submissions from the dev set: title, abstract, submitted (no full text).
python3 - "$dev" "$batch_total" "$work" <<'EOF'
import gzip, json, sys
dev, total, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
subs = []
with gzip.open(dev, "rt", encoding="utf-8") as f:
    for line in f:
        p = json.loads(line)
        if p.get("title") and p.get("abstract"):
            subs.append({"title": p["title"], "abstract": p["abstract"],
                         "submitted": p.get("submitted") or "2025-05-15", "external_id": p["id"]})
        if len(subs) >= total:
            break
for i in range(0, len(subs), 100):
    with open(f"{work}/batch-{i // 100:03d}.json", "w") as out:
        json.dump({"submissions": subs[i:i + 100]}, out)
with open(f"{work}/one.json", "w") as out:
    json.dump(subs[0], out)
print(len(subs), file=open(f"{work}/count", "w"))
EOF
count=$(cat "$work/count")

# A finished assessment for the GET benchmark (?wait answers when it is done).
curl -sS -o "$work/one.out" -X POST "$base/v1/assessments?wait=300" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' --data-binary @"$work/one.json"
job_id=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j.get("status")=="done", j; print(j["id"])' \
           "$work/one.out") || { echo "rest_bench.sh: the first assessment failed: $(head -c 300 "$work/one.out")" >&2; exit 1; }

cat >"$work/related.lua" <<EOF
local f = io.open("$work/one.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
EOF
cat >"$work/get.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $key"
EOF

# wrk --latency output -> "requests/s p50_ms p99_ms non2xx"
run_wrk() {
  local script=$1 url=$2
  wrk -t2 -c"$connections" -d"${duration}s" --timeout 30s --latency -s "$script" "$url" >"$work/wrk.out" 2>&1
  python3 - "$work/wrk.out" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)", v)
    x, u = float(m.group(1)), m.group(2)
    return x / 1000 if u == "us" else x if u == "ms" else x * 1000 if u == "s" else x * 60000
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"\n\s+50%\s+(\S+)", text).group(1))
p99 = ms(re.search(r"\n\s+99%\s+(\S+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(f"{rps:.1f} {p50:.2f} {p99:.2f} {non2xx.group(1) if non2xx else 0} {'yes' if errors else 'no'}")
EOF
}

read -r rel_rps rel_p50 rel_p99 rel_bad rel_sockerr < <(run_wrk "$work/related.lua" "$base/v1/related")
read -r get_rps get_p50 get_p99 get_bad get_sockerr < <(run_wrk "$work/get.lua" "$base/v1/assessments/$job_id")
get_bytes=$(curl -fsS "$base/v1/assessments/$job_id" -H "Authorization: Bearer $key" | wc -c)

# End to end through :batch: submit every batch, then wait until no job is queued or running.
t0=$(date +%s.%N)
for f in "$work"/batch-*.json; do
  code=$(curl -sS -o "$work/batch.out" -w '%{http_code}' -X POST "$base/v1/assessments:batch" \
           -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary @"$f")
  [ "$code" = 202 ] || { echo "rest_bench.sh: batch answered $code: $(head -c 300 "$work/batch.out")" >&2; exit 1; }
done
t_accepted=$(date +%s.%N)
deadline=$(( $(date +%s) + 3600 ))
while :; do
  counts=$(curl -fsS "$base/metrics" -H "Authorization: Bearer $key" |
           python3 -c '
import re, sys
m = dict(re.findall(r"novelta_jobs\{status=\"(\w+)\"\} (\S+)", sys.stdin.read()))
print(int(float(m.get("queued", 0))), int(float(m.get("running", 0))), int(float(m.get("done", 0))), int(float(m.get("failed", 0))))')
  read -r q r d fl <<<"$counts"
  [ "$q" = 0 ] && [ "$r" = 0 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { echo "rest_bench.sh: batch not finished within an hour" >&2; exit 1; }
  sleep 0.5
done
t1=$(date +%s.%N)
done_jobs=$(( d - 1 ))  # minus the job made for the GET benchmark
python3 - "$t0" "$t_accepted" "$t1" "$count" "$done_jobs" "$fl" <<'EOF' >"$work/batch.fig"
import sys
t0, ta, t1 = map(float, sys.argv[1:4]); n, done, failed = map(int, sys.argv[4:7])
print(f"{ta - t0:.2f} {t1 - t0:.1f} {n / (t1 - t0):.2f} {done} {failed}")
EOF
read -r accept_s total_s per_s done_n failed_n <"$work/batch.fig"

echo
echo "novelta REST service on 127.0.0.1, $(nproc) cores, index of $papers papers, $workers workers"
echo "wrk: 2 threads, $connections connections, ${duration} s per route"
printf '%-44s %12s %10s %10s %10s\n' "route" "requests/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-44s %12s %10s %10s %10s\n' "POST /v1/related (top_k 20)" "$rel_rps" "$rel_p50" "$rel_p99" "$rel_bad"
printf '%-44s %12s %10s %10s %10s\n' "GET /v1/assessments/{id} (${get_bytes} B)" "$get_rps" "$get_p50" "$get_p99" "$get_bad"
echo
printf '%-44s %12s\n' "batch: submissions" "$count"
printf '%-44s %12s\n' "batch: accepted in (s, $(ls "$work"/batch-*.json | wc -l) requests)" "$accept_s"
printf '%-44s %12s\n' "batch: all finished in (s)" "$total_s"
printf '%-44s %12s\n' "batch: done / failed" "$done_n / $failed_n"
printf '%-44s %12s\n' "batch: end-to-end submissions/s" "$per_s"
[ "$rel_sockerr" = no ] && [ "$get_sockerr" = no ] || echo "note: wrk reported socket errors (see wrk output)"
