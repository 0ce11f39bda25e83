# The dstate scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --mem 1024 --formats elf
# A 1 GiB guest, as vmcore.elf and vmcore.filtered: the kdump formats read the
# same pages through the same code.
# SPDX-License-Identifier: GPL-2.0-or-later

# Wait until N processes are in D state (/proc/PID/stat field 3), at most
# 300 s.  Builtins only, and the count in a variable: no fork per look.
wait_dstate() {
	t=0
	while [ $t -lt 600 ]; do
		nd=0
		for d in /proc/[0-9]*; do
			read -r st <"$d/stat" || continue
			st=${st##*) }
			[ "${st%% *}" = D ] && nd=$((nd + 1))
		done
		[ $nd -ge "$1" ] && return
		read -t 0.5 _ <>/run/idle
		t=$((t + 1))
	done
	echo "@@WARN only $nd tasks in D state after 300 s"
}

# A filesystem that stopped answering: fusestall mounts FUSE and never
# reads /dev/fuse.  1000 writers, as "echo x >file &" in a loop: the
# first waits in FUSE for an answer, the others behind it on the
# directory's lock, all in D state.
[ -e /dev/fuse ] || insmod /lib/fuse.ko || echo "@@ERROR insmod fuse failed"
while [ ! -e /dev/fuse ]; do sleep 0.2; done
mkdir -p /mnt/stall
/bin/fusestall /mnt/stall /run/ready.1 &
wait_ready 1
dump_point before
i=0
while [ $i -lt 1000 ]; do
	sh -c "echo x >/mnt/stall/f$i" &
	i=$((i + 1))
done
wait_dstate 1000
dump_point after
