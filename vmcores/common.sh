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

# The hash of the files under DIR (relative to vmcores/), skipping *.md and
# anything under scenarios/ unless DIR is in it.
tree_hash() {
	(cd "$VMCORES_DIR" && find "$@" -type f ! -name '*.md' ! -path './scenarios/*' |
		LC_ALL=C sort | xargs -r sha256sum) | sha256sum | cut -c1-12
}

# The generator's own files (everything but vmcores/scenarios/): a change to
# any of them makes every dump again.
scripts_hash() { tree_hash .; }

# One scenario's files: scenarios/NAME.sh and its scenarios/NAME/ folder (its
# own guest programs and modules).  A change there remakes that scenario only.
scenario_hash() {
	local files=("scenarios/$1.sh")
	[ ! -d "$VMCORES_DIR/scenarios/$1" ] || files+=("scenarios/$1")
	(cd "$VMCORES_DIR" && find "${files[@]}" -type f ! -name '*.md' |
		LC_ALL=C sort | xargs -r sha256sum) | sha256sum | cut -c1-12
}

# Every scenario's files, for the initramfs that carries them all.
scenarios_hash() {
	(cd "$VMCORES_DIR" && find scenarios -type f ! -name '*.md' |
		LC_ALL=C sort | xargs -r sha256sum) | sha256sum | cut -c1-12
}

# The scenarios made when none is named: every scenarios/NAME.sh without a
# "# make-dumps: only when named" line.
default_scenarios() {
	local f
	for f in "$VMCORES_DIR"/scenarios/*.sh; do
		grep -q '^# make-dumps: only when named' "$f" || basename "$f" .sh
	done
}

# The run-scenario.py arguments a scenario asks for in its
# "# make-dumps-args: ..." line (memory, NUMA, formats, ...).
scenario_args() {
	local f=$VMCORES_DIR/scenarios/$1.sh
	[ -f "$f" ] || die "unknown scenario $1 (no vmcores/scenarios/$1.sh)"
	sed -n 's/^# make-dumps-args: //p' "$f"
}

kernel_dir() { echo "$MEMSCOPE_CACHE/kernels/$1"; }
dumps_dir() { echo "$MEMSCOPE_CACHE/dumps/$1-$(scripts_hash)"; }

log() { printf '[vmcores %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { printf 'vmcores: %s\n' "$*" >&2; exit 1; }
