/*
 * logwalk.c - which log the kernel keeps: the printk_ringbuffer (5.10+,
 * `prb`) or the log_buf records before it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "logrec.h"

struct ms_error *ms_log_walk(struct ms_target *t, ms_log_fn *fn, void *arg,
			     struct ms_log_stats *stats)
{
	struct ms_log_stats local;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (ms_has_symbol(t, "prb"))
		return ms_printk_ring_walk(t, fn, arg, stats);
	if (ms_has_symbol(t, "log_first_idx"))
		return ms_log_buf_walk(t, fn, arg, stats);
	return ms_error_create(MS_ERR_UNSUPPORTED, "no kernel log: neither prb (5.10+) nor "
			       "log_first_idx (3.5-5.9) is a symbol of this kernel");
}
