/*
 * vmstat.c - zone and node counters with the per-cpu deltas folded in.
 *
 * zone_page_state_snapshot() in the kernel adds each online CPU's
 * vm_stat_diff to the atomic; so do we, over ms_sum_cpus().  Where the diffs live:
 *   5.14+ zone->per_cpu_zonestats->vm_stat_diff[],  pgdat->per_cpu_nodestats->vm_node_stat_diff[]
 *   older zone->pageset->vm_stat_diff[]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "kernel.h"
#include "vmstat.h"

int ms_stat_index(struct ms_target *t, const char *name)
{
	long v;

	return ms_enum(t, name, &v) == 0 ? (int)v : -1;
}

int ms_stat_index_any(struct ms_target *t, const char *const *names)
{
	long v;

	return ms_enum_any(t, names, &v) == 0 ? (int)v : -1;
}

struct counter_layout {
	const char *nr_items;		/* enumerator giving the count */
	const char *sname;		/* zone / pglist_data */
	const char *pcp_member;		/* per-cpu pointer member */
	const char *old_pcp_member;	/* its name before 5.14 */
	const char *pcp_struct, *old_pcp_struct;
	const char *diff_member;
};

static const struct counter_layout zone_layout = {
	"NR_VM_ZONE_STAT_ITEMS", "zone", "per_cpu_zonestats", "pageset",
	"per_cpu_zonestat", "per_cpu_pageset", "vm_stat_diff",
};

static const struct counter_layout node_layout = {
	"NR_VM_NODE_STAT_ITEMS", "pglist_data", "per_cpu_nodestats", NULL,
	"per_cpu_nodestat", NULL, "vm_node_stat_diff",
};

static void fold_diffs(struct ms_target *t, const struct counter_layout *l, uint64_t obj,
		       struct ms_counters *c)
{
	const struct ms_kernel *k = ms_kernel(t);
	const char *pcp_struct = l->pcp_struct;
	long pcp_off = ms_member_offset(t, l->sname, l->pcp_member);
	long diff_off;
	uint64_t pcp;
	int8_t d[MS_MAX_STAT_ITEMS];
	const unsigned int *cpus;
	unsigned int nr;

	if (pcp_off < 0 && l->old_pcp_member) {
		pcp_off = ms_member_offset(t, l->sname, l->old_pcp_member);
		pcp_struct = l->old_pcp_struct;
	}
	diff_off = pcp_struct ? ms_member_offset(t, pcp_struct, l->diff_member) : -1;
	if (!k || pcp_off < 0 || diff_off < 0 || ms_read_ptr(t, obj + pcp_off, &pcp) || !pcp)
		return;
	cpus = ms_sum_cpus(k, &nr);
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t a = ms_percpu_addr(k, pcp, cpus[i]) + diff_off;

		if (ms_read(t, a, d, c->nr))
			return;
		for (unsigned int j = 0; j < c->nr; j++)
			c->diff[j] += d[j];
	}
	c->diff_ok = true;
}

static int read_counters(struct ms_target *t, const struct counter_layout *l, uint64_t obj,
			 struct ms_counters *c)
{
	long nr, off = ms_member_offset(t, l->sname, "vm_stat");

	memset(c, 0, sizeof(*c));
	if (ms_enum(t, l->nr_items, &nr) || nr <= 0 || nr > MS_MAX_STAT_ITEMS || off < 0) {
		ms_warn(t, "cannot resolve %s.vm_stat or %s", l->sname, l->nr_items);
		return -1;
	}
	c->nr = (unsigned int)nr;
	if (ms_read(t, obj + off, c->atomic, c->nr * sizeof(int64_t))) {
		ms_warn(t, "cannot read %s.vm_stat at %#llx", l->sname, (unsigned long long)obj);
		c->nr = 0;
		return -1;
	}
	fold_diffs(t, l, obj, c);
	if (!c->diff_ok)
		ms_warn(t, "per-cpu %s counter deltas of %#llx unreadable: atomic values only",
			l->sname, (unsigned long long)obj);
	return 0;
}

int ms_zone_counters(struct ms_target *t, uint64_t zone, struct ms_counters *c)
{
	return read_counters(t, &zone_layout, zone, c);
}

int ms_node_counters(struct ms_target *t, uint64_t pgdat, struct ms_counters *c)
{
	return read_counters(t, &node_layout, pgdat, c);
}
