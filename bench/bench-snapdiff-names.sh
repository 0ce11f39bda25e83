#!/usr/bin/env bash
# memscope diff of a snapshot with many names (commands, slab caches, tmpfs
# mounts) against itself, and of a snapshot of ~185 MB: wall time and peak
# RSS (issue #14: 65 s and 6 GB before the name matching hashed).  crash has
# no counterpart (it compares nothing), so no ratio: the numbers alone.
#
# 2026-12-01, 6.1 tasks/after base, 2 shared cores (user+sys CPU, peak RSS):
#                      30,000 names (11.3 MB)    ~1.5M rows (192 MB)
#   whole jansson tree   1.34 s, 287 MB (25x)     71 s, 4.7 GB (25x)
#   element-wise reader  0.42 s,  33 MB (3.0x)    7.6 s, 476 MB (2.5x)
# The reader (snapshot_read.c) keeps rows as compact tables (snaprows.c) and
# the diff builds JSON only for the rows it shows.  What is left is jansson
# decoding the elements (callgrind: 76% in json_loadb, ~50 MB/s); the
# schema check 6%, the tables and their hashes ~10%, the diff 4%.
#   bash bench/bench-snapdiff-names.sh DUMP [NAMES] [BIG_MB]
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
DUMP=${1:?a dump to take the base snapshot from}
NAMES=${2:-30000}
BIG_MB=${3:-185}
CLI=${MEMSCOPE_CLI:-build/memscope}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$CLI" snap -o "$tmp/base.json" "$DUMP"
/usr/bin/python3 - "$tmp" "$NAMES" "$BIG_MB" <<'PY'
import json, sys
tmp, n, big_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = json.load(open(f"{tmp}/base.json"))

def grow(rows, key, count):
    proto = rows[0]
    return [dict(proto, **{key: f"{proto[key]}-{i}"}) for i in range(count)]

d = dict(base)
d["commands"] = grow(base["commands"], "comm", n)
d["slab"] = dict(base["slab"], caches=grow(base["slab"]["caches"], "name", n))
d["tmpfs"] = grow(base["tmpfs"], "mount", n)
json.dump(d, open(f"{tmp}/names.json", "w"))
row = len(json.dumps(d["commands"][0])) + len(json.dumps(d["slab"]["caches"][0])) + \
    len(json.dumps(d["tmpfs"][0]))
rows = big_mb * 1000 * 1000 // (row + 6)
d["commands"] = grow(base["commands"], "comm", rows)
d["slab"] = dict(base["slab"], caches=grow(base["slab"]["caches"], "name", rows))
d["tmpfs"] = grow(base["tmpfs"], "mount", rows)
json.dump(d, open(f"{tmp}/big.json", "w"))
PY
for f in names big; do
	size=$(stat -c %s "$tmp/$f.json")
	/usr/bin/time -f "%e %M" -o "$tmp/time" "$CLI" diff "$tmp/$f.json" "$tmp/$f.json" >/dev/null
	read -r secs kb < "$tmp/time"
	printf '%-6s %8.1f MB snapshot: diff against itself %6.2f s, peak RSS %6.0f MB (%.1fx the file)\n' \
		"$f" "$(echo "$size / 1000000" | bc -l)" "$secs" "$(echo "$kb / 1024" | bc -l)" \
		"$(echo "$kb * 1024 / $size" | bc -l)"
done
