#!/usr/bin/env bash
# Make the default scenario dumps of both pinned kernels, the two at once: a
# guest under TCG keeps about one core busy, and CI's machines have two.
# Each kernel's log goes to stderr with its own prefix.  Prints nothing.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
# The kernels first, one after the other: each may apt-get install its
# headers, and two apt-gets at once fail on dpkg's lock.
for k in 6.1 6.12; do
	bash vmcores/fetch-kernel.sh "$k" 2> >(sed -u "s/^/[$k] /" >&2) >/dev/null
done
bash vmcores/make-dumps.sh "$@" 2> >(sed -u 's/^/[6.1]  /' >&2) >/dev/null &
first=$!
status=0
bash vmcores/make-dumps.sh --kernel 6.12 "$@" 2> >(sed -u 's/^/[6.12] /' >&2) >/dev/null || status=$?
wait "$first" || status=$?
exit "$status"
