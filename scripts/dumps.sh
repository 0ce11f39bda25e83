#!/usr/bin/env bash
# Make the default scenario dumps of both pinned kernels, the two at once: a
# guest under TCG keeps about one core busy, and CI's machines have two.
# Each kernel's log goes to stderr with its own prefix.  Prints nothing.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
fetch() { bash vmcores/fetch-kernel.sh "$1" 2> >(sed -u "s/^/[$1] /" >&2) >/dev/null; }
# One kernel's dumps, tried again where a run failed: a TCG guest now and
# then oopses in early boot (seen: int3 in sched_clock_cpu on 6.12 while
# static keys were patched, before any scenario step ran), and make-dumps.sh
# keeps the scenarios it completed, so the second run redoes only the rest.
one_kernel() {
	local k=$1 tag=$2 try
	shift 2
	for try in 1 2 3; do
		bash vmcores/make-dumps.sh --kernel "$k" "$@" 2> >(sed -u "s/^/$tag /" >&2) >/dev/null &&
			return 0
		echo "$tag dumps.sh: make-dumps.sh failed (try $try of 3)" >&2
	done
	return 1
}
# The kernels one after the other (each may apt-get install its headers, and
# two apt-gets at once fail on dpkg's lock), 6.1's dumps made while 6.12 is
# fetched: make-dumps.sh runs no apt-get once its kernel is there.
fetch 6.1
one_kernel 6.1 "[6.1] " "$@" &
first=$!
status=0
fetch 6.12 || status=$?
[ "$status" != 0 ] || one_kernel 6.12 "[6.12]" "$@" || status=$?
wait "$first" || status=$?
exit "$status"
