#!/usr/bin/env bash
# Builds the novelta runtime image (docker/Dockerfile) with podman and runs the
# service from it end to end:
#   - every library build/novelta links against maps to a package of
#     scripts/runtime-packages.txt, and `ldd` inside the image finds them all;
#   - the image's size (bytes and human-readable);
#   - one container: uid 10001, not root; an index built by the image's own
#     `novelta index build`, mounted read-only; the state (SQLite) on a volume;
#     a key from `novelta keys create`; GET /readyz 200, the image's
#     HEALTHCHECK, one assessment (POST /v1/assessments) polled until done;
#     SIGTERM ends it with exit status 0 and `podman diff` shows nothing
#     written to the container's own filesystem;
#   - what docker/compose.yaml runs, on this host's network: PostgreSQL with
#     password authentication (PGPASSWORD), three replicas with read-only root
#     filesystems started together, HAProxy with docker/haproxy.cfg checking
#     /readyz; six assessments through HAProxy, then SIGTERM to one replica
#     and reads and an assessment through HAProxy still answered.
# Exits non-zero on any failure.
#
# By default the image's `prebuilt` stage is built around build/novelta (the
# normal CMake build, made if missing), so only the runtime packages are
# installed in the image; --full builds the default multi-stage target, which
# compiles novelta inside the image (what `docker build` does for users).
# The base image is Debian 12 made locally with debootstrap (from the mirror
# this machine's apt uses) and imported as localhost/debian:bookworm, once;
# HAProxy runs from Debian's package in an image on the same base.
#
# Usage: scripts/container.sh [--full] [--corpus FILE.jsonl[.gz]] [--no-replicas] [--keep]
#   --corpus       build the index from this corpus (default: the 33-paper test
#                  fixture corpora/fixtures/tiny-corpus.jsonl)
#   --no-replicas  stop after the single container
#   --keep         leave the containers, PostgreSQL and the scratch directory
# Environment: NOVELTA_IMAGE (tag, default localhost/novelta:latest),
#   NOVELTA_BASE_IMAGE (default localhost/debian:bookworm, made if missing),
#   NOVELTA_CONTAINER_WORK (scratch, default /var/tmp/novelta-container).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
full=0
keep=0
replicas=1
corpus="$ROOT/corpora/fixtures/tiny-corpus.jsonl"
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full=1 ;;
    --keep) keep=1 ;;
    --no-replicas) replicas=0 ;;
    --corpus) corpus="$(realpath "$2")"; shift ;;
    *) echo "container.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
IMAGE="${NOVELTA_IMAGE:-localhost/novelta:latest}"
BASE="${NOVELTA_BASE_IMAGE:-localhost/debian:bookworm}"
WORK="${NOVELTA_CONTAINER_WORK:-/var/tmp/novelta-container}"
t_start=$SECONDS

say() { echo "container: $*"; }
fail() { echo "container: FAIL: $*" >&2; exit 1; }
timed() {
  local name="$1" t0=$SECONDS
  shift
  "$@"
  say "$name took $((SECONDS - t0)) s"
}

# --- tools -------------------------------------------------------------------
need=()
for p in podman debootstrap runc curl python3 postgresql; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing ${need[*]}"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
mkdir -p "$WORK"

# --- the binary and its libraries --------------------------------------------
BIN="$ROOT/build/novelta"
if [ "$full" = 0 ] && [ ! -x "$BIN" ]; then
  say "no build/novelta: building it"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build --target novelta -j "$(nproc)"
fi
runtime_packages() { sed -e 's/#.*//' scripts/runtime-packages.txt | tr -s ' \t' '\n\n' | grep -v '^$'; }
check_runtime_packages() {
  local listed missing=0 lib path pkg
  listed="$(runtime_packages)"
  while read -r lib; do
    path="$(ldd "$BIN" | awk -v l="$lib" '$1 == l { print $3 }')"
    [ -n "$path" ] || fail "ldd does not resolve $lib on this machine"
    pkg="$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || true)"
    pkg="${pkg%%:*}"
    [ -n "$pkg" ] || fail "no Debian package owns $path ($lib)"
    if ! grep -qx "$pkg" <<<"$listed"; then
      echo "container: $lib is in package $pkg, missing from scripts/runtime-packages.txt" >&2
      missing=1
    fi
  done < <(readelf -d "$BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  [ "$missing" = 0 ] || fail "scripts/runtime-packages.txt is incomplete"
  say "every library build/novelta needs is in a package of scripts/runtime-packages.txt"
}
[ "$full" = 1 ] || check_runtime_packages

# --- the base image ----------------------------------------------------------
# The mirror this machine's apt is configured with (deb822 or one-line form).
apt_mirror() {
  local suffix="$1" default="$2" uri
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { print $2 }' |
         grep -E "/$suffix/?\$" | head -n1 || true)"
  [ -n "$uri" ] || uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
         awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' |
         grep -E "/$suffix/?\$" | head -n1 || true)"
  echo "${uri:-$default}"
}
make_base() {
  local mirror security rootfs
  mirror="$(apt_mirror debian http://deb.debian.org/debian)"
  security="$(apt_mirror debian-security http://deb.debian.org/debian-security)"
  rootfs="$WORK/rootfs"
  rm -rf "$rootfs"
  say "making $BASE with debootstrap from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -n 20 "$WORK/debootstrap.log" >&2; fail "debootstrap"; }
  # The same sources as Debian's own image: the release, its updates and security.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  tar -C "$rootfs" -c . | podman import --quiet - "$BASE" >/dev/null
  rm -rf "$rootfs"
}
if podman image exists "$BASE"; then
  say "base image $BASE exists"
else
  timed "base image" make_base
fi

# --- the image ---------------------------------------------------------------
build_image() {
  if [ "$full" = 1 ]; then
    podman build --isolation=chroot --format docker --build-arg BASE_IMAGE="$BASE" \
      -f docker/Dockerfile -t "$IMAGE" .
  else
    # A context with what the prebuilt stage copies (the repository's
    # .dockerignore leaves build/ out of a context at its root).
    local ctx="$WORK/context"
    rm -rf "$ctx"
    mkdir -p "$ctx/build" "$ctx/scripts" "$ctx/models"
    cp "$BIN" "$ctx/build/novelta"
    cp scripts/runtime-packages.txt "$ctx/scripts/"
    for m in claims/claims.ftz claims/manifest.json rerank/reranker.json rerank/manifest.json \
             evidence/evidence.json evidence/manifest.json; do
      mkdir -p "$ctx/models/$(dirname "$m")"
      cp "models/$m" "$ctx/models/$m"
    done
    podman build --isolation=chroot --format docker --build-arg BASE_IMAGE="$BASE" --target prebuilt \
      -f docker/Dockerfile -t "$IMAGE" "$ctx"
  fi
}
# (--format docker: the OCI format has no HEALTHCHECK.)
say "building $IMAGE (log: $WORK/build.log)"
build_logged() {
  build_image >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log" >&2; fail "podman build"; }
}
previous="$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
timed "image build" build_logged
# The image this one replaces, untagged now, is removed (unless a container uses it).
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$IMAGE")" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
say "image $IMAGE: $size bytes ($(numfmt --to=iec-i --suffix=B "$size"))"

# podman's defaults may raise limits this machine does not let it raise, and
# crun refuses hybrid cgroup hierarchies: find run options that work here.
# The image's HEALTHCHECK is run once explicitly below (podman schedules
# health checks with systemd timers, which need not exist here).
run_opts=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096 --no-healthcheck)
if ! podman run --rm "${run_opts[@]}" --entrypoint /bin/true "$IMAGE" 2>/dev/null; then
  run_opts+=(--runtime runc)
  podman run --rm "${run_opts[@]}" --entrypoint /bin/true "$IMAGE" || fail "podman cannot run a container here"
fi

# --- libraries and user inside the image --------------------------------------
notfound="$(podman run --rm "${run_opts[@]}" --entrypoint ldd "$IMAGE" /usr/local/bin/novelta | grep 'not found' || true)"
[ -z "$notfound" ] || fail "libraries missing in the image: $notfound"
uid="$(podman run --rm "${run_opts[@]}" --entrypoint id "$IMAGE" -u)"
[ "$uid" = 10001 ] || fail "the image runs as uid $uid, not 10001"
say "ldd finds every library in the image; it runs as uid $uid"

# --- an index ------------------------------------------------------------------
scratch="$(mktemp -d "$WORK/run.XXXXXX")"
name="novelta-check-$$"
containers=()
pg_ctl=""
cleanup() {
  if [ "$keep" = 1 ]; then
    say "kept containers ${containers[*]} and $scratch"
    return
  fi
  local c
  for c in "${containers[@]}"; do podman rm -f "$c" >/dev/null 2>&1 || true; done
  [ -z "$pg_ctl" ] || $pg_ctl stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/corpus" "$scratch/index" "$scratch/state"
cp "$corpus" "$scratch/corpus/"
chown 10001:10001 "$scratch/index" "$scratch/state"
# The index is built by the image's own binary, then mounted read-only.
timed "index build in the image" podman run --rm "${run_opts[@]}" \
  -v "$scratch/corpus:/corpus:ro" -v "$scratch/index:/out" "$IMAGE" \
  index build --quiet --dimensions 24 --vocab-size 400 --corpus "/corpus/$(basename "$corpus")" --out /out/index
index_mount=(-v "$scratch/index/index:/var/lib/novelta/index:ro")

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
logs() { podman logs "$1" 2>&1 | tail -n 30 >&2; }
# wait_ready URL CONTAINER...: GET URL/readyz answers 200 while the containers run.
wait_ready() {
  local url="$1" c t0=$SECONDS
  shift
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" = 200 ]; do
    for c in "$@"; do
      if [ "$(podman inspect --format '{{.State.Running}}' "$c")" != true ]; then logs "$c"; fail "$c exited"; fi
    done
    [ $((SECONDS - t0)) -lt 120 ] || { logs "$1"; fail "$url/readyz not 200 within 120 s"; }
    sleep 0.5
  done
}
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
# submit URL KEY TITLE: POST /v1/assessments; prints the job id.
submit() {
  local answer code body
  answer="$(curl -sS -w '\n%{http_code}' -X POST -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    --data "{\"title\": \"$3\", \"abstract\": \"We propose a method that retrieves prior work for a submitted paper and compares its claimed contributions with the retrieved papers. Experiments show that the retrieved evidence supports reviewers.\"}" \
    "$1/v1/assessments")"
  code="${answer##*$'\n'}"
  body="${answer%$'\n'*}"
  [ "$code" = 202 ] || [ "$code" = 200 ] || fail "POST $1/v1/assessments answered $code: $body"
  json_field id <<<"$body"
}
# wait_done URL KEY ID: polls the job until it is done (fails if it failed).
wait_done() {
  local job status t0=$SECONDS
  while :; do
    job="$(curl -sS -H "Authorization: Bearer $2" "$1/v1/assessments/$3")"
    status="$(json_field status <<<"$job")"
    case "$status" in
      done) break ;;
      failed) fail "assessment $3 failed: $job" ;;
    esac
    [ $((SECONDS - t0)) -lt 300 ] || fail "assessment $3 still $status after 300 s"
    sleep 0.5
  done
  python3 -c 'import json, sys; assert json.load(sys.stdin).get("report"), "a done job without a report"' <<<"$job"
}

# --- one service, SQLite state on a volume ----------------------------------------
port="$(free_port)"
containers+=("$name")
podman run -d --name "$name" "${run_opts[@]}" --network host \
  -e NOVELTA_PORT="$port" -e NOVELTA_HOST=127.0.0.1 -e NOVELTA_SHUTDOWN_GRACE_SECONDS=10 \
  "${index_mount[@]}" -v "$scratch/state:/var/lib/novelta/state" "$IMAGE" >/dev/null
url="http://127.0.0.1:$port"
t0=$SECONDS
wait_ready "$url" "$name"
say "/readyz 200 after $((SECONDS - t0)) s"
pid1_uid="$(podman exec "$name" awk '/^Uid:/ { print $2 }' /proc/1/status)"
[ "$pid1_uid" = 10001 ] && [ "$(podman exec "$name" id -u)" = 10001 ] ||
  fail "the service runs as uid $pid1_uid, not 10001"
say "the service runs as uid $pid1_uid"
health="$(podman image inspect "$IMAGE" | python3 -c '
import json, sys
image = json.load(sys.stdin)[0]
test = (image.get("Healthcheck") or image["HealthCheck"])["Test"]
assert test[0] == "CMD-SHELL", test
print(test[1])')"
podman exec "$name" sh -c "$health" >/dev/null || { logs "$name"; fail "the image's HEALTHCHECK fails: $health"; }
say "the image's HEALTHCHECK passes"
key="$(podman exec "$name" novelta keys create --state /var/lib/novelta/state --name container-check \
       --scope write 2>"$scratch/keys.err" | tail -n1)"
[ -n "$key" ] || fail "novelta keys create printed no key: $(cat "$scratch/keys.err")"
t0=$SECONDS
id="$(submit "$url" "$key" "Sparse retrieval of prior work for novelty assessment")"
wait_done "$url" "$key" "$id"
say "assessment $id done after $((SECONDS - t0)) s"
podman stop -t 30 "$name" >/dev/null
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$name")"
[ "$exit_code" = 0 ] || { logs "$name"; fail "SIGTERM ended the service with exit status $exit_code"; }
# podman itself touches /etc (hosts, resolv.conf): compare with a container
# that runs nothing.
containers+=("$name-idle")
podman run --name "$name-idle" "${run_opts[@]}" --network host --entrypoint /bin/true \
  "${index_mount[@]}" -v "$scratch/state:/var/lib/novelta/state" "$IMAGE"
changes="$(comm -13 <(podman diff "$name-idle" | sort) <(podman diff "$name" | sort))"
[ -z "$changes" ] || fail "the service wrote to the container's filesystem (not its volumes):
$changes"
say "SIGTERM: exit status 0; nothing written outside the volumes"

# --- three replicas on PostgreSQL behind HAProxy ------------------------------------
# What docker/compose.yaml runs, on this host's network: a PostgreSQL cluster
# with password authentication, three replicas started together (each runs the
# schema migrations) with read-only root filesystems, and HAProxy with
# docker/haproxy.cfg (its servers pointed at the replicas' ports) checking /readyz.
if [ "$replicas" = 1 ]; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [ -x "$bindir/initdb" ] || fail "PostgreSQL server binaries not found (Debian: postgresql)"
  pg_port="$(free_port)"
  pg_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  mkdir -p "$scratch/pg"
  chmod 755 "$scratch"
  printf '%s\n' "$pg_password" >"$scratch/pg/password"
  as_pg=()
  if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root
    chown -R nobody:nogroup "$scratch/pg"
    as_pg=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  fi
  "${as_pg[@]}" "$bindir/initdb" -D "$scratch/pg/data" -U novelta --pwfile="$scratch/pg/password" \
    -A scram-sha-256 -E UTF8 --no-sync >"$scratch/pg/initdb.log" 2>&1 ||
    { cat "$scratch/pg/initdb.log" >&2; fail "initdb"; }
  pg_ctl="${as_pg[*]} $bindir/pg_ctl -D $scratch/pg/data"
  $pg_ctl -l "$scratch/pg/log" -w -o "-p $pg_port -k $scratch/pg -c listen_addresses=127.0.0.1" start >/dev/null ||
    { cat "$scratch/pg/log" >&2; fail "PostgreSQL did not start"; }
  PGPASSWORD="$pg_password" "$bindir/psql" -q -h 127.0.0.1 -p "$pg_port" -U novelta -d postgres \
    -c 'CREATE DATABASE novelta' || fail "CREATE DATABASE"
  state="postgresql://novelta@127.0.0.1:$pg_port/novelta"
  say "PostgreSQL on port $pg_port (password authentication)"

  replica_ports=()
  for i in 1 2 3; do
    replica_ports+=("$(free_port)")
    containers+=("$name-$i")
    podman run -d --name "$name-$i" "${run_opts[@]}" --network host --read-only --tmpfs /tmp \
      -e NOVELTA_PORT="${replica_ports[-1]}" -e NOVELTA_HOST=127.0.0.1 -e NOVELTA_SHUTDOWN_GRACE_SECONDS=10 \
      -e NOVELTA_STATE_DIR="$state" -e PGPASSWORD="$pg_password" "${index_mount[@]}" "$IMAGE" >/dev/null
  done
  t0=$SECONDS
  for i in 1 2 3; do wait_ready "http://127.0.0.1:${replica_ports[i-1]}" "$name-$i"; done
  say "3 replicas started together on one database, all ready after $((SECONDS - t0)) s"

  # HAProxy from Debian in an image on the same base, run with docker/haproxy.cfg.
  lb_image=localhost/novelta-check-haproxy:latest
  if ! podman image exists "$lb_image"; then
    mkdir -p "$scratch/lb-image"
    printf 'FROM %s\nRUN apt-get update && apt-get install -y --no-install-recommends haproxy && rm -rf /var/lib/apt/lists/*\n' \
      "$BASE" >"$scratch/lb-image/Containerfile"
    podman build --isolation=chroot -t "$lb_image" "$scratch/lb-image" >"$WORK/haproxy-build.log" 2>&1 ||
      { tail -n 20 "$WORK/haproxy-build.log" >&2; fail "HAProxy image"; }
  fi
  lb_port="$(free_port)"
  sed -e '/^resolvers docker/,/^$/d' -e 's/ resolvers docker//' -e "s/^\(\s*bind \):8080/\1127.0.0.1:$lb_port/" \
    -e "s/ novelta-1:8080/ 127.0.0.1:${replica_ports[0]}/" -e "s/ novelta-2:8080/ 127.0.0.1:${replica_ports[1]}/" \
    -e "s/ novelta-3:8080/ 127.0.0.1:${replica_ports[2]}/" docker/haproxy.cfg >"$scratch/haproxy.cfg"
  [ "$(grep -c '^\s*server .* 127\.0\.0\.1:' "$scratch/haproxy.cfg")" = 3 ] && ! grep -q 'resolvers\|:8080' "$scratch/haproxy.cfg" ||
    fail "docker/haproxy.cfg no longer has the shape this script adapts: $(cat "$scratch/haproxy.cfg")"
  containers+=("$name-lb")
  podman run -d --name "$name-lb" "${run_opts[@]}" --stop-signal SIGUSR1 --network host -v "$scratch/haproxy.cfg:/etc/haproxy/haproxy.cfg:ro" \
    --entrypoint haproxy "$lb_image" -db -f /etc/haproxy/haproxy.cfg >/dev/null
  lb="http://127.0.0.1:$lb_port"
  wait_ready "$lb" "$name-lb"

  # A key made on one replica works through all; jobs are spread and shared.
  key="$(podman exec "$name-1" novelta keys create --state "$state" --name container-check --scope write \
         2>"$scratch/keys.err" | tail -n1)"
  [ -n "$key" ] || fail "novelta keys create on PostgreSQL printed no key: $(cat "$scratch/keys.err")"
  ids=()
  for n in 1 2 3 4 5 6; do ids+=("$(submit "$lb" "$key" "Replicated assessment $n of prior work")"); done
  for id in "${ids[@]}"; do wait_done "$lb" "$key" "$id"; done
  served=0
  for i in 1 2 3; do
    podman logs "$name-$i" 2>&1 | grep -q '"POST /v1/assessments"' && served=$((served + 1))
  done
  [ "$served" -ge 2 ] || fail "HAProxy sent every submission to one replica"
  say "6 assessments through HAProxy done; $served replicas took submissions"

  # SIGTERM to one replica: it drains and exits 0, HAProxy routes around it.
  podman stop -t 30 "$name-1" >/dev/null
  exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$name-1")"
  [ "$exit_code" = 0 ] || { logs "$name-1"; fail "SIGTERM ended replica 1 with exit status $exit_code"; }
  for n in $(seq 1 20); do
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$lb/v1/assessments/${ids[0]}")"
    [ "$code" = 200 ] || { logs "$name-lb"; fail "through HAProxy with replica 1 stopped: request $n answered $code"; }
  done
  id="$(submit "$lb" "$key" "Assessment after a replica stopped")"
  wait_done "$lb" "$key" "$id"
  say "replica 1 stopped (exit status 0): 20 reads and one assessment through HAProxy all answered"
fi
say "image $IMAGE $size bytes ($(numfmt --to=iec-i --suffix=B "$size")); all checks passed in $((SECONDS - t_start)) s"
