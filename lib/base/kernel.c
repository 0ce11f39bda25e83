/*
 * kernel.c - CPUs, per-cpu offsets, nodes and zones of the dumped kernel.
 *
 * The kernel iterates CPUs with for_each_online_cpu()/for_each_possible_cpu()
 * over cpumasks of nr_cpu_ids bits, and nodes with for_each_online_pgdat()
 * over node_data[] (NUMA) or contig_page_data (!NUMA).  We do the same.
 * A cpumask and __per_cpu_offset[] are arrays of unsigned long: read in the
 * target's word size and byte order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#define MS_MAX_CPU_IDS 65536
#define MS_MAX_NODE_IDS 65536

/* CPU numbers whose bit is set in the cpumask at symbol sym (struct cpumask.bits[]). */
static struct ms_error *read_cpumask(struct ms_target *t, const char *sym,
				     unsigned int nr_cpu_ids, unsigned int **cpus,
				     unsigned int *nr)
{
	unsigned int wbits = 8 * t->word_size;
	size_t bytes = (size_t)(nr_cpu_ids + wbits - 1) / wbits * t->word_size;
	struct ms_error *err;
	unsigned char *bits;
	uint64_t addr;

	*nr = 0;
	*cpus = calloc(nr_cpu_ids, sizeof(**cpus));
	bits = malloc(bytes);
	if (!*cpus || !bits) {
		free(bits);
		return &ms_error_nomem;
	}
	err = ms_symbol(t, sym, &addr);
	if (!err)
		err = ms_read(t, addr, bits, bytes);
	if (err) {
		free(bits);
		return ms_error_wrap(err, "%s", sym);
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		uint64_t word = ms_get_ptr(t, bits, (long)(cpu / wbits * t->word_size));

		if ((word >> (cpu % wbits)) & 1)
			(*cpus)[(*nr)++] = cpu;
	}
	free(bits);
	return NULL;
}

/* unsigned long __per_cpu_offset[NR_CPUS]: the first nr_cpu_ids entries. */
static struct ms_error *read_percpu_offsets(struct ms_target *t, struct ms_kernel *k)
{
	size_t bytes = (size_t)k->nr_cpu_ids * t->word_size;
	unsigned char *buf = malloc(bytes);
	struct ms_error *err;
	uint64_t addr;

	k->percpu_offset = calloc(k->nr_cpu_ids, sizeof(uint64_t));
	if (!buf || !k->percpu_offset) {
		free(buf);
		return &ms_error_nomem;
	}
	err = ms_symbol(t, "__per_cpu_offset", &addr);
	if (!err)
		err = ms_read(t, addr, buf, bytes);
	for (unsigned int cpu = 0; !err && cpu < k->nr_cpu_ids; cpu++)
		k->percpu_offset[cpu] = ms_get_ptr(t, buf, (long)(cpu * t->word_size));
	free(buf);
	return ms_error_wrap(err, "__per_cpu_offset[]");
}

/* A corrupt nr_cpu_ids: find_last_bit(cpu_possible_mask, NR_CPUS) + 1, as
 * setup_nr_cpu_ids() (kernel/smp.c) sets it; NR_CPUS is struct cpumask's size. */
static struct ms_error *nr_cpu_ids_from_possible(struct ms_target *t, uint64_t *v)
{
	long size = ms_struct_size(t, "cpumask");
	unsigned int bits, *cpus, nr;
	struct ms_error *err;

	if (size <= 0)
		return ms_error_create(MS_ERR_CORRUPT, "and struct cpumask has no size");
	bits = (unsigned int)size * 8 > MS_MAX_CPU_IDS ? MS_MAX_CPU_IDS : (unsigned int)size * 8;
	err = read_cpumask(t, "__cpu_possible_mask", bits, &cpus, &nr);
	if (!err && !nr)
		err = ms_error_create(MS_ERR_CORRUPT, "and __cpu_possible_mask is empty");
	if (!err)
		*v = cpus[nr - 1] + 1ull;
	free(cpus);
	return err;
}

static struct ms_error *init_cpus(struct ms_target *t, struct ms_kernel *k)
{
	struct ms_error *err;
	uint64_t v;

	err = ms_read_sym_uint(t, "nr_cpu_ids", 4, &v);
	if (err)
		return ms_error_wrap(err, "cannot read nr_cpu_ids");
	if (v == 0 || v > MS_MAX_CPU_IDS) {
		err = nr_cpu_ids_from_possible(t, &v);
		if (err)
			return ms_error_wrap(err, "nr_cpu_ids is %llu", (unsigned long long)v);
		ms_warn(t, "nr_cpu_ids is corrupt; %llu from __cpu_possible_mask, as "
			"setup_nr_cpu_ids() computes it", (unsigned long long)v);
	}
	k->nr_cpu_ids = (unsigned int)v;
	err = read_cpumask(t, "__cpu_online_mask", k->nr_cpu_ids, &k->online, &k->nr_online);
	if (!err)
		err = read_cpumask(t, "__cpu_possible_mask", k->nr_cpu_ids, &k->possible,
				   &k->nr_possible);
	if (!err)
		err = read_percpu_offsets(t, k);
	return ms_error_wrap(err, "cannot read the cpumasks and per-cpu offsets");
}

/* node_data[nr_node_ids] (NUMA): the nodes that have a pglist_data. */
static struct ms_error *init_numa_nodes(struct ms_target *t, struct ms_kernel *k,
					uint64_t node_data)
{
	struct ms_error *err;
	uint64_t nr, pgdat;

	err = ms_read_sym_uint(t, "nr_node_ids", 4, &nr);
	if (err)
		return ms_error_wrap(err, "cannot read nr_node_ids");
	if (nr == 0 || nr > MS_MAX_NODE_IDS)
		return ms_error_create(MS_ERR_CORRUPT, "nr_node_ids is %llu", (unsigned long long)nr);
	k->node_id = calloc(nr, sizeof(int));
	k->pgdat = calloc(nr, sizeof(uint64_t));
	if (!k->node_id || !k->pgdat)
		return &ms_error_nomem;
	for (unsigned int n = 0; n < nr; n++) {
		/* A node whose pointer cannot be read is left out; the others stay. */
		err = ms_read_ptr(t, node_data + (uint64_t)t->word_size * n, &pgdat);
		if (err) {
			ms_warn_error(t, err, "node_data[%u]", n);
			continue;
		}
		if (!pgdat)
			continue;
		k->node_id[k->nr_nodes] = (int)n;
		k->pgdat[k->nr_nodes++] = pgdat;
	}
	return NULL;
}

static struct ms_error *init_nodes(struct ms_target *t, struct ms_kernel *k)
{
	struct ms_error *err = NULL;
	uint64_t addr;

	if (ms_has_symbol(t, "node_data")) {
		err = ms_symbol(t, "node_data", &addr);
		if (!err)
			err = init_numa_nodes(t, k, addr);
	} else if (ms_has_symbol(t, "contig_page_data")) {
		err = ms_symbol(t, "contig_page_data", &addr);
		k->node_id = calloc(1, sizeof(int));
		k->pgdat = calloc(1, sizeof(uint64_t));
		if (!err && (!k->node_id || !k->pgdat))
			err = &ms_error_nomem;
		if (!err) {
			k->pgdat[0] = addr;
			k->nr_nodes = 1;
		}
	}
	if (err)
		return err;
	if (!k->nr_nodes)
		return ms_error_create(MS_ERR_LOOKUP,
				       "no memory node found (neither node_data[] nor contig_page_data)");
	return NULL;
}

/* zone_names[] is the kernel's own table (mm/page_alloc.c); "zoneN" where unreadable. */
static void read_zone_names(struct ms_target *t, struct ms_kernel *k)
{
	uint64_t names = 0, p;
	bool have = ms_has_symbol(t, "zone_names") &&
		    !ms_error_failed(ms_symbol(t, "zone_names", &names));

	for (unsigned int z = 0; z < k->nr_zones; z++) {
		char name[MS_ZONE_NAME_LEN];
		struct ms_error *err;

		snprintf(k->zone_name[z], MS_ZONE_NAME_LEN, "zone%u", z);
		if (!have)
			continue;
		err = ms_read_ptr(t, names + (uint64_t)t->word_size * z, &p);
		if (!err)
			err = ms_read_str(t, p, name, sizeof(name));
		if (!err)
			memcpy(k->zone_name[z], name, sizeof(name));
		ms_error_destroy(err);		/* the fallback name stays */
	}
}

/* node_zones[MAX_NR_ZONES]: how many, and the stride of the array. */
static struct ms_error *init_zones(struct ms_target *t, struct ms_kernel *k)
{
	struct ms_error *err;
	long nr, size;

	k->node_zones_off = ms_member_offset(t, "pglist_data", "node_zones");
	size = ms_member_size(t, "pglist_data", "node_zones");
	err = ms_enum(t, "__MAX_NR_ZONES", &nr);
	if (err)
		return ms_error_wrap(err, "cannot count the zones of a node");
	if (nr <= 0 || nr > MS_MAX_ZONES)
		return ms_error_create(MS_ERR_UNSUPPORTED, "__MAX_NR_ZONES is %ld", nr);
	if (k->node_zones_off < 0 || size <= 0 || size % nr)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve pglist_data.node_zones[]");
	k->nr_zones = (unsigned int)nr;
	k->zone_size = size / nr;
	read_zone_names(t, k);
	return NULL;
}

static void init_node_members(struct ms_target *t, struct ms_kernel *k)
{
	k->vm_stat_off = ms_member_offset(t, "pglist_data", "vm_stat");
	k->nodestats_off = ms_member_offset(t, "pglist_data", "per_cpu_nodestats");
	k->kswapd_failures_off = ms_member_offset(t, "pglist_data", "kswapd_failures");
	k->zonelists_off = ms_member_offset(t, "pglist_data", "node_zonelists");
}

struct ms_error *ms_kernel_get(struct ms_target *t, const struct ms_kernel **kp)
{
	struct ms_kernel *k = t->kern;
	struct ms_error *err;

	*kp = k;
	if (k)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return &ms_error_nomem;
	t->kern = k;
	err = init_cpus(t, k);
	if (!err)
		err = init_nodes(t, k);
	if (!err)
		err = init_zones(t, k);
	if (err) {
		ms_kernel_free(t);
		return err;
	}
	init_node_members(t, k);
	*kp = k;
	return NULL;
}

void ms_kernel_free(struct ms_target *t)
{
	struct ms_kernel *k = t->kern;

	if (!k)
		return;
	free(k->online);
	free(k->possible);
	free(k->percpu_offset);
	free(k->node_id);
	free(k->pgdat);
	free(k->zone_layout);
	free(k);
	t->kern = NULL;
}

struct ms_error *ms_node_kswapd_failures(struct ms_target *t, const struct ms_kernel *k,
					 unsigned int n, int *v)
{
	struct ms_error *err;
	int32_t x;

	if (k->kswapd_failures_off < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no pglist_data.kswapd_failures");
	err = ms_read_s32(t, k->pgdat[n] + k->kswapd_failures_off, &x);
	if (!err)
		*v = x;
	return ms_error_wrap(err, "node %d kswapd_failures", k->node_id[n]);
}

struct ms_error *ms_node_zonelist(struct ms_target *t, const struct ms_kernel *k, unsigned int n,
				  long which, uint64_t *addr)
{
	long size = ms_struct_size(t, "zonelist");

	if (k->zonelists_off < 0 || size <= 0 || which < 0)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve pglist_data.node_zonelists[%ld]", which);
	*addr = k->pgdat[n] + k->zonelists_off + (uint64_t)which * (uint64_t)size;
	return NULL;
}
