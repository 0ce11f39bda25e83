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
crash -s "$dumps/vmlinux" "$dumps/tmpfs/after/vmcore.elf" <<EOF2 2>&1 | grep -v '^bt: '
extend $PWD/build/memscope.so
meminfo
memdiff $dumps/tmpfs/before/vmcore.elf
EOF2
