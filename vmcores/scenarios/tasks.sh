# The tasks scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# SPDX-License-Identifier: GPL-2.0-or-later

# A dozen helpers with known anon/shmem sizes (MiB) and oom_score_adj.
dump_point before
start_hogs 4 0 -1000 0  8 0 -500 0  16 0 0 2  24 0 0 0 \
	32 4 100 0  12 8 200 1  6 0 300 0  40 0 500 0 \
	2 0 800 0  10 16 0 0  20 0 -100 0  1 0 1000 0
dump_point after
