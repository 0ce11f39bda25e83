# The oom scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# SPDX-License-Identifier: GPL-2.0-or-later

# No swap: hogs with known sizes and oom_score_adj, then memgrow
# (memhog under another name, adj 300) grows until the global OOM
# killer kills it; "after" once it is gone.  Overcommit always, or the
# heuristic refuses its mapping.  oomkill: the pid the guest saw killed
# (wait's status 137 = SIGKILL).
echo 1 >/proc/sys/vm/overcommit_memory
start_hogs 32 0 0 0  16 8 200 1  8 0 -1000 0  24 0 -500 0
dump_point before
(echo 300 >/proc/self/oom_score_adj; exec /bin/memgrow 4096 0 300 0 /run/ready.grow) &
victim=$!
wait $victim
echo "pid $victim status $? comm memgrow" >/run/truth.oomkill
dump_point after
