#!/usr/bin/env bash
# The README's first command: install, build, make the default dumps (Debian's
# 6.1 kernel, the tmpfs-leak scenario) and show memscope in crash on them.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
make -s
dumps=$(bash vmcores/make-dumps.sh tmpfs)
echo
echo "== crash -s $dumps/vmlinux $dumps/tmpfs/after/vmcore.elf"
# crash's own exit status is not the demo's: on a dump of a live guest whose
# vCPU sat on the PTI entry stack, crash 8.0.2 prints "bt: read of stack ...
# failed" at start-up and exits 1 whatever the session did.  The demo
# succeeds when memscope's commands answered.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
crash -s "$dumps/vmlinux" "$dumps/tmpfs/after/vmcore.elf" >"$out" 2>&1 <<EOF2 || true
extend $PWD/build/memscope.so
meminfo
memdiff $dumps/tmpfs/before/vmcore.elf
EOF2
grep -v '^bt: ' "$out"
grep -q '^Main cause: ' "$out" || { echo "demo: memscope gave no answer in crash" >&2; exit 1; }
