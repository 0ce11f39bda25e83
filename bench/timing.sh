# Timing of whole processes for the bench scripts; sourced, not run.
# Uses $runs (how many runs) from the sourcing script; session() uses
# $dump, $vmlinux, $so and $reps.
# SPDX-License-Identifier: GPL-2.0-or-later

median() { sort -n | sed -n "$((runs / 2 + 1))p"; }

# timed STDIN COMMAND...: "wall cpu peak_kB" of runs of COMMAND (stdin from
# STDIN): medians of wall clock and of CPU (user + system) seconds, the
# largest peak RSS.
timed() {
	local out last walls=() cpus=() peaks=()
	out=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -o "$out" -f '%e %U %S %M' "${@:2}" <"$1" >/dev/null 2>&1 || true
		# The last line: time puts "Command exited ..." before it.
		last=$(tail -1 "$out")
		walls+=("$(awk '{ print $1 }' <<<"$last")")
		cpus+=("$(awk '{ print $2 + $3 }' <<<"$last")")
		peaks+=("$(awk '{ print $4 }' <<<"$last")")
	done
	rm -f "$out"
	printf '%s %s %s\n' "$(printf '%s\n' "${walls[@]}" | median)" \
		"$(printf '%s\n' "${cpus[@]}" | median)" \
		"$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)"
}

# session CMD: CPU seconds (user + system) of one crash session on $dump
# ($vmlinux, extension $so) running CMD $reps times, the median of 3
# sessions; CMD "" times the start-up alone.
session() {
	local cmd=$1 times=() out
	out=$(mktemp)
	for _ in 1 2 3; do
		local script="extend $so"$'\n'
		for ((i = 0; i < reps; i++)); do
			[ -n "$cmd" ] && script+="$cmd > /dev/null"$'\n'
		done
		printf '%squit\n' "$script" |
			/usr/bin/time -o "$out" -f '%U %S' crash -s "$vmlinux" "$dump" >/dev/null 2>&1
		# The last line: time puts "Command exited ..." before it.
		times+=("$(tail -1 "$out" | awk '{ print $1 + $2 }')")
	done
	rm -f "$out"
	printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}
