#!/usr/bin/env bash
# The README's second command: install, build, run the unit tests (Check,
# with sanitizers) and the vmcore tests (crash + memscope.so on real dumps).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
make -s
make -s check
