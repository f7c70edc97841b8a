#!/bin/sh
# CTest's entry to run.ts (tests/CMakeLists.txt): the same arguments. Without
# the npm packages the test fails, naming the command that installs them.
dir=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$dir/node_modules/.bin/tsx" ]; then
  echo "tests/openapi: the npm packages are not installed; run: (cd tests/openapi && npm ci --no-audit --no-fund)," \
       "as scripts/setup.sh does (needs node >= 20.19 and npm)" >&2
  exit 1
fi
exec "$dir/node_modules/.bin/tsx" "$dir/run.ts" "$@"
