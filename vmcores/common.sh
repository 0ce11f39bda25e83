# Shared settings of the dump generator; sourced, not run.
# SPDX-License-Identifier: GPL-2.0-or-later

VMCORES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Pinned Debian kernels: the default, and a second one selected with --kernel.
KVER_DEFAULT=6.1.0-55-cloud-amd64
KVER_612=6.12.117+deb12-cloud-amd64

resolve_kver() {
	case "${1:-}" in
	""|6.1|"$KVER_DEFAULT") echo "$KVER_DEFAULT" ;;
	6.12|"$KVER_612") echo "$KVER_612" ;;
	*) echo "$1" ;;
	esac
}

# Everything generated lives outside the repo, here.
MEMSCOPE_CACHE=${MEMSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/memscope}

# Hash of every generator file: a change to any of them makes new dumps.
scripts_hash() {
	(cd "$VMCORES_DIR" && find . -type f ! -name '*.md' | LC_ALL=C sort |
		xargs sha256sum) | sha256sum | cut -c1-12
}

kernel_dir() { echo "$MEMSCOPE_CACHE/kernels/$1"; }
dumps_dir() { echo "$MEMSCOPE_CACHE/dumps/$1-$(scripts_hash)"; }

log() { printf '[vmcores %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { printf 'vmcores: %s\n' "$*" >&2; exit 1; }
