# The memcg1 scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --formats elf
# Made as vmcore.elf and vmcore.filtered only (see memcg.sh).
# SPDX-License-Identifier: GPL-2.0-or-later

# The cgroup v1 memory controller (cgroup2 is not mounted, so v1 may take
# it).  Kernels without CONFIG_MEMCG_V1 (Debian's 6.12) refuse the mount:
# the guest then says so in /run/truth.memcg1_mount ("unavailable ...") and the
# dump holds no v1 hierarchy.  Groups /a (limit 200M) and /a/b (limit 64M,
# a memhog and a tmpfs writer), /c (limit 32M); "after" adds the memcg OOM
# kill in /c and 10 removed groups under /d whose task wrote 1 MiB of tmpfs
# each (dying).
#
# Truth: /run/truth.memcg1_mount ("mounted" or "unavailable"), /run/truth.memcg_oom,
# /run/truth.memcg_dying, and truth_now's "memcg1" block: for each cgroup
# "== PATH", then "-- FILE" and the file's lines.
CG=/sys/fs/cgroup
if mount -t cgroup -o memory memory $CG; then
	echo "mounted v1 memory" >/run/truth.memcg1_mount
else
	echo "unavailable: mount -t cgroup -o memory failed" >/run/truth.memcg1_mount
fi

in_cg() {
	g=$1
	shift
	sh -c 'echo $$ >'"$CG$g"'/cgroup.procs && exec "$@"' sh "$@" &
}

v1_setup() {
if [ -e $CG/memory.usage_in_bytes ]; then
	mkdir -p $CG/a/b $CG/c $CG/d
	echo 200M >$CG/a/memory.limit_in_bytes
	echo 64M >$CG/a/b/memory.limit_in_bytes
	[ -e $CG/a/b/memory.memsw.limit_in_bytes ] &&
		echo 96M >$CG/a/b/memory.memsw.limit_in_bytes
	echo 32M >$CG/c/memory.limit_in_bytes
	mkdir -p /mnt/cg /mnt/dying
	mount -t tmpfs -o size=64m cg /mnt/cg
	mount -t tmpfs -o size=32m dying /mnt/dying
	in_cg /a/b /bin/memhog 24 8 0 1 /run/ready.1
	wait_ready 1
	in_cg /a/b dd if=/dev/zero of=/mnt/cg/b bs=1M count=6
	wait $!
fi
}

# After the dump point "before": the dying groups and the memcg OOM.
v1_dying_oom() {
if [ -e $CG/memory.usage_in_bytes ]; then
	i=1
	while [ $i -le 10 ]; do
		mkdir $CG/d/e$i
		in_cg /d/e$i dd if=/dev/zero of=/mnt/dying/e$i bs=64k count=16
		wait $!
		rmdir $CG/d/e$i || echo "@@WARN rmdir e$i failed"
		i=$((i + 1))
	done
	echo "made 10 removed 10 parent /d tmpfs_kib_each 1024" >/run/truth.memcg_dying
	in_cg /c /bin/memhog 64 0 0 0 /run/noready.c
	victim=$!
	wait $victim
	echo "pid $victim status $? comm memhog cgroup /c" >/run/truth.memcg_oom
fi
}

memcg1_files="cgroup.procs memory.usage_in_bytes memory.limit_in_bytes
memory.max_usage_in_bytes memory.soft_limit_in_bytes memory.failcnt
memory.memsw.usage_in_bytes memory.memsw.limit_in_bytes
memory.memsw.max_usage_in_bytes memory.kmem.usage_in_bytes
memory.oom_control memory.stat"
memcg1_dump() {
	local d=$1 c f l p
	p=${d#$CG}
	echo "== ${p:-/}"
	for f in $memcg1_files; do
		[ -r "$d/$f" ] || continue
		echo "-- $f"
		while IFS= read -r l; do echo "$l"; done <"$d/$f"
	done
	for c in "$d"/*/; do
		[ -d "$c" ] && memcg1_dump "${c%/}"
	done
}
truth_now() {
	echo "@@BEGIN memcg1"
	[ -e $CG/memory.usage_in_bytes ] && memcg1_dump $CG
	echo "@@END memcg1"
}

v1_setup
dump_point before
v1_dying_oom
dump_point after
