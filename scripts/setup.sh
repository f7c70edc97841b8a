#!/usr/bin/env bash
# Installs every Debian package novelta needs (scripts/packages.txt) and builds it into ./build.
# Usage: scripts/setup.sh [--no-install] [--build-type Release|Debug]
set -euo pipefail
cd "$(dirname "$0")/.."
install=1
build_type=Release
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) install=0 ;;
    --build-type) build_type="$2"; shift ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$install" = 1 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  mapfile -t pkgs < <(grep -vE '^\s*(#|$)' scripts/packages.txt)
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type"
cmake --build build -j "$(nproc)"
echo "setup: built build/novelta"
# The OpenAPI tests' node packages (tests/openapi), at the versions of its package-lock.json.
if command -v npm >/dev/null; then
  (cd tests/openapi && npm ci --no-audit --no-fund)
else
  echo "setup: npm not found; the OpenAPI tests (ctest -R OpenApi) will fail until tests/openapi has its packages" >&2
fi
