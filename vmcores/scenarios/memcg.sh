# The memcg scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --formats elf
# Made as vmcore.elf and vmcore.filtered only: its questions are about the
# memory cgroup structures, which every format reads through the same code.
# SPDX-License-Identifier: GPL-2.0-or-later

# cgroup v2 with the memory controller: groups with limits, nested groups,
# memhogs and tmpfs writers inside them, one group near its limit (/tight:
# 36 MiB of anon under a 40 MiB memory.max), one memcg OOM kill (/small), and
# 30 short-lived groups under /ephemeral whose task wrote 1 MiB each to
# tmpfs and exited, removed so their pages stay charged to dying memcgs.
# "after": /batch/job1 grows by 40 MiB of anon (a second memhog).
#
# Truth: /run/truth.memcg_oom "pid PID status 137 comm memhog cgroup /small"
# (the task the guest saw killed), /run/truth.memcg_dying (the groups made and
# removed), and truth_now's "memcg" block at the dump's moment: for each
# cgroup "== PATH", then "-- FILE" and the file's lines.
CG=/sys/fs/cgroup
mount -t cgroup2 cgroup2 $CG || echo "@@ERROR mount cgroup2 failed"
echo +memory >$CG/cgroup.subtree_control
mkdir -p $CG/batch/job1 $CG/batch/job2 $CG/web $CG/small $CG/tight $CG/ephemeral
echo +memory >$CG/batch/cgroup.subtree_control
echo +memory >$CG/ephemeral/cgroup.subtree_control
echo 300M >$CG/batch/memory.max
echo 200M >$CG/batch/job1/memory.high
echo 96M >$CG/batch/job2/memory.max
echo 16M >$CG/batch/job2/memory.low
echo 32M >$CG/web/memory.min
echo 128M >$CG/web/memory.max
echo 0 >$CG/web/memory.swap.max
echo 32M >$CG/small/memory.max
echo 40M >$CG/tight/memory.max
mkdir -p /mnt/cg /mnt/dying
mount -t tmpfs -o size=128m cg /mnt/cg
mount -t tmpfs -o size=64m dying /mnt/dying

# in_cg GROUP PROGRAM ARGS...: PROGRAM run in GROUP (the shell joins it, then
# execs), in the background.
in_cg() {
	g=$1
	shift
	sh -c 'echo $$ >'"$CG$g"'/cgroup.procs && exec "$@"' sh "$@" &
}

in_cg /batch/job1 /bin/memhog 48 16 0 2 /run/ready.1
in_cg /batch/job2 /bin/memhog 24 8 0 0 /run/ready.2
in_cg /web /bin/memhog 32 0 0 4 /run/ready.3
in_cg /tight /bin/memhog 36 0 0 0 /run/ready.5
wait_ready 4
in_cg /batch/job1 dd if=/dev/zero of=/mnt/cg/job1 bs=1M count=8
wait $!
in_cg /web dd if=/dev/zero of=/mnt/cg/web bs=1M count=4
wait $!

# The dying groups: each task writes 1 MiB to tmpfs and exits, then rmdir.
i=1
while [ $i -le 30 ]; do
	mkdir $CG/ephemeral/e$i
	in_cg /ephemeral/e$i dd if=/dev/zero of=/mnt/dying/e$i bs=64k count=16
	wait $!
	rmdir $CG/ephemeral/e$i || echo "@@WARN rmdir e$i failed"
	i=$((i + 1))
done
echo "made 30 removed 30 parent /ephemeral tmpfs_kib_each 1024" >/run/truth.memcg_dying

# The memcg OOM: 64 MiB of anon in a 32 MiB group, no swap.
in_cg /small /bin/memhog 64 0 0 0 /run/noready.small
victim=$!
wait $victim
echo "pid $victim status $? comm memhog cgroup /small" >/run/truth.memcg_oom

# Every cgroup's files, builtins only, at the dump's moment.
memcg_files="cgroup.procs cgroup.stat memory.current memory.max memory.high
memory.low memory.min memory.peak memory.swap.current memory.swap.max
memory.events memory.stat"
memcg_dump() {
	local d=$1 c f l p
	p=${d#$CG}
	echo "== ${p:-/}"
	for f in $memcg_files; do
		[ -r "$d/$f" ] || continue
		echo "-- $f"
		while IFS= read -r l; do echo "$l"; done <"$d/$f"
	done
	for c in "$d"/*/; do
		[ -d "$c" ] && memcg_dump "${c%/}"
	done
}
truth_now() {
	echo "@@BEGIN memcg"
	memcg_dump $CG
	echo "@@END memcg"
}

dump_point before
in_cg /batch/job1 /bin/memhog 40 0 0 0 /run/ready.4
wait_ready 5
dump_point after
