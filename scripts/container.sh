#!/usr/bin/env bash
# Builds the novelta runtime image (docker/Dockerfile) with podman and runs the
# service from it end to end:
#   - every library build/novelta links against maps to a package of
#     scripts/runtime-packages.txt, and `ldd` inside the image finds them all;
#   - the image's size (bytes and human-readable);
#   - the container runs as uid 10001, not root;
#   - an index built by the image's own `novelta index build`, mounted read-only;
#     the state (SQLite) on a volume; a write key made by `novelta keys create`;
#   - GET /readyz answers 200, one assessment submitted with POST /v1/assessments
#     is polled until done;
#   - SIGTERM stops it with exit status 0, and `podman diff` shows nothing
#     written to the container's own filesystem.
# Exits non-zero on any failure.
#
# By default the image's `prebuilt` stage is built around build/novelta (the
# normal CMake build, made if missing), so only the runtime packages are
# installed in the image; --full builds the default multi-stage target, which
# compiles novelta inside the image (what `docker build` does for users).
# The base image is Debian 12 made locally with debootstrap (from the mirror
# this machine's apt uses) and imported as localhost/debian:bookworm, once.
#
# Usage: scripts/container.sh [--full] [--corpus FILE.jsonl[.gz]] [--keep]
#   --corpus  build the index from this corpus (default: the 33-paper test
#             fixture corpora/fixtures/tiny-corpus.jsonl)
#   --keep    leave the container and its scratch directory for inspection
# Environment: NOVELTA_IMAGE (tag, default localhost/novelta:latest),
#   NOVELTA_BASE_IMAGE (default localhost/debian:bookworm, made if missing),
#   NOVELTA_CONTAINER_WORK (scratch, default /var/tmp/novelta-container).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
full=0
keep=0
corpus="$ROOT/corpora/fixtures/tiny-corpus.jsonl"
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full=1 ;;
    --keep) keep=1 ;;
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
for p in podman debootstrap runc curl python3; do
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
  tar -C "$rootfs" -c . | podman import - "$BASE" >/dev/null
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
timed "image build" build_logged
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

# --- an index and the service --------------------------------------------------
scratch="$(mktemp -d "$WORK/run.XXXXXX")"
name="novelta-check-$$"
cleanup() {
  if [ "$keep" = 1 ]; then
    say "kept container $name and $scratch"
    return
  fi
  podman rm -f "$name" "$name-idle" >/dev/null 2>&1 || true
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
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
podman run -d --name "$name" "${run_opts[@]}" --network host \
  -e NOVELTA_PORT="$port" -e NOVELTA_HOST=127.0.0.1 -e NOVELTA_SHUTDOWN_GRACE_SECONDS=10 \
  -v "$scratch/index/index:/var/lib/novelta/index:ro" \
  -v "$scratch/state:/var/lib/novelta/state" \
  "$IMAGE" >/dev/null
url="http://127.0.0.1:$port"
logs() { podman logs "$name" 2>&1 | tail -n 30 >&2; }
t0=$SECONDS
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" = 200 ]; do
  if [ "$(podman inspect --format '{{.State.Running}}' "$name")" != true ]; then logs; fail "the service exited"; fi
  [ $((SECONDS - t0)) -lt 120 ] || { logs; fail "/readyz not 200 within 120 s"; }
  sleep 0.5
done
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
podman exec "$name" sh -c "$health" >/dev/null || { logs; fail "the image's HEALTHCHECK fails: $health"; }
say "the image's HEALTHCHECK passes"
key="$(podman exec "$name" novelta keys create --state /var/lib/novelta/state --name container-check \
       --scope write 2>"$scratch/keys.err" | tail -n1)"
[ -n "$key" ] || fail "novelta keys create printed no key: $(cat "$scratch/keys.err")"

# --- one assessment --------------------------------------------------------------
submission='{"title": "Sparse retrieval of prior work for novelty assessment",
  "abstract": "We propose a method that retrieves prior work for a submitted paper and compares its claimed contributions with the retrieved papers. Experiments show that the retrieved evidence supports reviewers."}'
answer="$(curl -sS -w '\n%{http_code}' -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  --data "$submission" "$url/v1/assessments")"
code="${answer##*$'\n'}"
body="${answer%$'\n'*}"
[ "$code" = 202 ] || [ "$code" = 200 ] || { logs; fail "POST /v1/assessments answered $code: $body"; }
id="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' <<<"$body")"
t0=$SECONDS
while :; do
  job="$(curl -sS -H "Authorization: Bearer $key" "$url/v1/assessments/$id")"
  status="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])' <<<"$job")"
  case "$status" in
    done) break ;;
    failed) logs; fail "assessment $id failed: $job" ;;
  esac
  [ $((SECONDS - t0)) -lt 300 ] || { logs; fail "assessment $id still $status after 300 s"; }
  sleep 0.5
done
python3 -c '
import json, sys
job = json.load(sys.stdin)
report = job.get("report") or {}
assert report, "a done job without a report"
print("container: assessment %s done in %.1f s of waiting; report keys: %s"
      % (job["id"], float(sys.argv[1]), ", ".join(sorted(report)[:8])))
' "$((SECONDS - t0))" <<<"$job"

# --- stop and the root filesystem ----------------------------------------------
podman stop -t 30 "$name" >/dev/null
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$name")"
[ "$exit_code" = 0 ] || { logs; fail "SIGTERM ended the service with exit status $exit_code"; }
# podman itself touches /etc (hosts, resolv.conf): compare with a container
# that runs nothing.
podman run --name "$name-idle" "${run_opts[@]}" --network host --entrypoint /bin/true \
  -v "$scratch/index/index:/var/lib/novelta/index:ro" -v "$scratch/state:/var/lib/novelta/state" "$IMAGE"
idle="$(podman diff "$name-idle")"
podman rm "$name-idle" >/dev/null
changes="$(comm -13 <(sort <<<"$idle") <(podman diff "$name" | sort))"
[ -z "$changes" ] || fail "the service wrote to the container's filesystem (not its volumes):
$changes"
say "SIGTERM: exit status 0; nothing written outside the volumes"
say "image $IMAGE $size bytes ($(numfmt --to=iec-i --suffix=B "$size")); all checks passed in $((SECONDS - t_start)) s"
