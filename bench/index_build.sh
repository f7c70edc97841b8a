#!/usr/bin/env bash
# Benchmark 1: build the index of the shared corpus; seconds and peak RSS.
source "$(dirname "$0")/common.sh"
rm -rf "$INDEX"
/usr/bin/time -v "$NOVELTA" index build --corpus "$CORPUS" --out "$INDEX" --quiet \
  2> "$WORK/index_build.time"
$PY - "$WORK/index_build.time" "$INDEX/manifest.json" > "$RESULTS/index_build.json" <<'PYEOF'
import json, re, sys
t = open(sys.argv[1]).read()
m = json.load(open(sys.argv[2]))
wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
h, mi, s = wall.groups()
secs = int(h or 0) * 3600 + int(mi) * 60 + float(s)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(json.dumps({"papers": m["n_papers"], "seconds": secs, "peak_rss_mib": rss / 1024,
                  "index_type": m["vectors"]["type"], "stages": m["build_seconds"]}))
PYEOF
cat "$RESULTS/index_build.json"
