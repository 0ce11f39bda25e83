/*
 * vmstat.c - zone and node counters with the per-cpu deltas folded in.
 *
 * zone_page_state_snapshot() in the kernel adds each online CPU's
 * vm_stat_diff to the atomic; so do we, over ms_sum_cpus().  Where the diffs
 * live:
 *   5.14+ zone->per_cpu_zonestats->vm_stat_diff[],  pgdat->per_cpu_nodestats->vm_node_stat_diff[]
 *   older zone->pageset->vm_stat_diff[]
 * zone.c says where struct zone keeps them, kernel.c where pglist_data does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "kernel.h"
#include "vmstat.h"
#include "zone.h"

int ms_stat_index(struct ms_target *t, const char *name)
{
	return (int)ms_enum_or(t, name, -1);	/* -1: this kernel has no such item */
}

int ms_stat_index_any(struct ms_target *t, const char *const *names)
{
	struct ms_error *err;
	long v;

	err = ms_enum_any(t, names, &v);
	if (err) {
		ms_error_destroy(err);
		return -1;
	}
	return (int)v;
}

/* Where one object's counters are. */
struct where {
	const char *vm_stat;		/* "zone.vm_stat", for messages */
	const char *nr_items;		/* enumerator giving the count */
	long atomics;			/* offset of vm_stat[] */
	long pcp;			/* offset of the per-cpu pointer to the deltas */
	long diff;			/* offset of the s8 deltas in the per-cpu struct */
};

static void zone_where(struct ms_target *t, const struct ms_zone_layout *l, struct where *w)
{
	w->vm_stat = "zone.vm_stat";
	w->nr_items = "NR_VM_ZONE_STAT_ITEMS";
	w->atomics = l->vm_stat;
	w->pcp = l->zonestats;
	w->diff = ms_member_offset(t, l->zonestats_old ? "per_cpu_pageset" : "per_cpu_zonestat",
				   "vm_stat_diff");
}

static void node_where(struct ms_target *t, const struct ms_kernel *k, struct where *w)
{
	w->vm_stat = "pglist_data.vm_stat";
	w->nr_items = "NR_VM_NODE_STAT_ITEMS";
	w->atomics = k->vm_stat_off;
	w->pcp = k->nodestats_off;
	w->diff = ms_member_offset(t, "per_cpu_nodestat", "vm_node_stat_diff");
}

/* Add every online CPU's s8 deltas; none of them if one cannot be read. */
static struct ms_error *fold_diffs(struct ms_target *t, const struct ms_kernel *k,
				   const struct where *w, uint64_t obj, struct ms_counters *c)
{
	int8_t d[MS_MAX_STAT_ITEMS];
	const unsigned int *cpus;
	struct ms_error *err;
	unsigned int nr;
	uint64_t pcp;

	if (w->pcp < 0 || w->diff < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve where the deltas are");
	err = ms_read_ptr(t, obj + w->pcp, &pcp);
	if (err)
		return err;
	if (!pcp)
		return ms_error_create(MS_ERR_CORRUPT, "no per-cpu counters");
	cpus = ms_sum_cpus(k, &nr);
	for (unsigned int i = 0; i < nr; i++) {
		err = ms_read(t, ms_percpu_addr(k, pcp, cpus[i]) + w->diff, d, c->nr);
		if (err) {
			memset(c->diff, 0, sizeof(c->diff));
			return ms_error_wrap(err, "cpu %u", cpus[i]);
		}
		for (unsigned int j = 0; j < c->nr; j++)
			c->diff[j] += d[j];
	}
	c->diff_ok = true;
	return NULL;
}

/* atomic_long_t vm_stat[nr]: words of the target's size and order. */
static struct ms_error *read_atomics(struct ms_target *t, uint64_t addr, struct ms_counters *c)
{
	unsigned char buf[MS_MAX_STAT_ITEMS * 8];
	size_t ws = t->word_size;
	struct ms_error *err = ms_read(t, addr, buf, c->nr * ws);

	if (err)
		return err;
	for (unsigned int i = 0; i < c->nr; i++) {
		uint64_t v = ms_get_uint(t, buf, (long)(i * ws), ws);

		if (ws < 8 && (v >> (8 * ws - 1)) & 1)
			v |= ~0ull << (8 * ws);
		c->atomic[i] = (int64_t)v;
	}
	return NULL;
}

static struct ms_error *read_counters(struct ms_target *t, const struct ms_kernel *k,
				      const struct where *w, uint64_t obj, struct ms_counters *c)
{
	struct ms_error *err;
	long nr = -1;

	memset(c, 0, sizeof(*c));
	if (ms_has_enum(t, w->nr_items))
		ms_error_destroy(ms_enum(t, w->nr_items, &nr));
	if (nr <= 0 || nr > MS_MAX_STAT_ITEMS || w->atomics < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve %s or %s", w->vm_stat,
				       w->nr_items);
	c->nr = (unsigned int)nr;
	err = read_atomics(t, obj + w->atomics, c);
	if (err) {
		c->nr = 0;
		return ms_error_wrap(err, "cannot read %s at %#llx", w->vm_stat,
				     (unsigned long long)obj);
	}
	err = fold_diffs(t, k, w, obj, c);
	if (err)
		ms_warn_error(t, err, "per-cpu deltas of %s at %#llx unreadable, atomic values only",
			      w->vm_stat, (unsigned long long)obj);
	return NULL;
}

struct ms_error *ms_zone_counters(struct ms_target *t, uint64_t zone, struct ms_counters *c)
{
	const struct ms_zone_layout *l;
	const struct ms_kernel *k;
	struct ms_error *err;
	struct where w;

	memset(c, 0, sizeof(*c));
	err = ms_kernel_get(t, &k);
	if (!err)
		err = ms_zone_layout(t, &l);
	if (err)
		return err;
	zone_where(t, l, &w);
	return read_counters(t, k, &w, zone, c);
}

struct ms_error *ms_node_counters(struct ms_target *t, uint64_t pgdat, struct ms_counters *c)
{
	const struct ms_kernel *k;
	struct ms_error *err;
	struct where w;

	memset(c, 0, sizeof(*c));
	err = ms_kernel_get(t, &k);
	if (err)
		return err;
	node_where(t, k, &w);
	return read_counters(t, k, &w, pgdat, c);
}

/*
 * fold_vm_zone_numa_events() (5.14+) moves each online CPU's
 * per_cpu_zonestat.vm_numa_event[] into zone->vm_numa_event[] before
 * zoneinfo prints it: the atomic plus those.  Before 5.14 the events were
 * zone->vm_numa_stat[] with u16 diffs, not read here.
 */
struct ms_error *ms_zone_numa_events(struct ms_target *t, uint64_t zone, unsigned int nr,
				     uint64_t *events)
{
	unsigned char buf[MS_MAX_STAT_ITEMS * 8];
	const struct ms_zone_layout *l;
	const struct ms_kernel *k;
	const unsigned int *cpus;
	struct ms_error *err;
	unsigned int nr_cpus;
	long pcp_off;
	uint64_t pcp;

	err = ms_kernel_get(t, &k);
	if (!err)
		err = ms_zone_layout(t, &l);
	if (err)
		return err;
	if (l->numa_event < 0 || nr > MS_MAX_STAT_ITEMS)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve zone.vm_numa_event[]");
	/* unsigned long vm_numa_event[]: atomic_long_t and per-cpu alike */
	err = ms_read(t, zone + l->numa_event, buf, nr * t->word_size);
	if (err)
		return ms_error_wrap(err, "zone.vm_numa_event[]");
	for (unsigned int j = 0; j < nr; j++)
		events[j] = ms_get_uint(t, buf, (long)(j * t->word_size), t->word_size);
	pcp_off = ms_member_offset(t, "per_cpu_zonestat", "vm_numa_event");
	if (pcp_off < 0 || l->zonestats_old)
		return NULL;		/* no per-cpu events to fold */
	err = ms_read_ptr(t, zone + l->zonestats, &pcp);
	if (err || !pcp)
		return err ? ms_error_wrap(err, "zone.per_cpu_zonestats") : NULL;
	cpus = ms_sum_cpus(k, &nr_cpus);
	for (unsigned int i = 0; i < nr_cpus; i++) {
		err = ms_read(t, ms_percpu_addr(k, pcp, cpus[i]) + pcp_off, buf, nr * t->word_size);
		if (err)
			return ms_error_wrap(err, "cpu %u per-cpu NUMA events", cpus[i]);
		for (unsigned int j = 0; j < nr; j++)
			events[j] += ms_get_uint(t, buf, (long)(j * t->word_size), t->word_size);
	}
	return NULL;
}

struct ms_error *ms_zone_stat_threshold(struct ms_target *t, uint64_t zone, unsigned int cpu,
					long *v)
{
	const struct ms_zone_layout *l;
	const struct ms_kernel *k;
	struct ms_error *err;
	long off;
	uint64_t pcp;
	int8_t s;

	err = ms_kernel_get(t, &k);
	if (!err)
		err = ms_zone_layout(t, &l);
	if (err)
		return err;
	off = ms_member_offset(t, l->zonestats_old ? "per_cpu_pageset" : "per_cpu_zonestat",
			       "stat_threshold");
	if (off < 0 || l->zonestats < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve stat_threshold");
	err = ms_read_ptr(t, zone + l->zonestats, &pcp);
	if (!err && !pcp)
		err = ms_error_create(MS_ERR_CORRUPT, "no per-cpu zone counters");
	if (!err)
		err = ms_read(t, ms_percpu_addr(k, pcp, cpu) + off, &s, 1);
	if (!err)
		*v = s;
	return err;
}
