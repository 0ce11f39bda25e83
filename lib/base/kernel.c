/*
 * kernel.c - CPUs, per-cpu offsets, nodes and zones of the dumped kernel.
 *
 * The kernel iterates CPUs with for_each_online_cpu()/for_each_possible_cpu()
 * over cpumasks of nr_cpu_ids bits, and nodes with for_each_online_pgdat()
 * over node_data[] (NUMA) or contig_page_data (!NUMA).  We do the same.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* CPU numbers whose bit is set in the cpumask at symbol sym. */
static int read_cpumask(struct ms_target *t, const char *sym, unsigned int nr_cpu_ids,
			unsigned int **cpus, unsigned int *nr)
{
	size_t bytes = (nr_cpu_ids + 63) / 64 * 8;
	unsigned char *bits;
	uint64_t addr;

	*cpus = calloc(nr_cpu_ids, sizeof(**cpus));
	bits = malloc(bytes);
	*nr = 0;
	if (!*cpus || !bits || ms_symbol(t, sym, &addr) || ms_read(t, addr, bits, bytes)) {
		free(bits);
		return -1;
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (bits[cpu / 8] & (1u << (cpu % 8)))
			(*cpus)[(*nr)++] = cpu;
	free(bits);
	return 0;
}

static int init_cpus(struct ms_target *t, struct ms_kernel *k)
{
	uint64_t v, addr;

	if (ms_read_sym_uint(t, "nr_cpu_ids", 4, &v) || v == 0 || v > 65536) {
		ms_warn(t, "cannot read nr_cpu_ids");
		return -1;
	}
	k->nr_cpu_ids = (unsigned int)v;
	if (read_cpumask(t, "__cpu_online_mask", k->nr_cpu_ids, &k->online, &k->nr_online) ||
	    read_cpumask(t, "__cpu_possible_mask", k->nr_cpu_ids, &k->possible, &k->nr_possible)) {
		ms_warn(t, "cannot read the online/possible cpumasks");
		return -1;
	}
	k->percpu_offset = calloc(k->nr_cpu_ids, sizeof(uint64_t));
	if (!k->percpu_offset || ms_symbol(t, "__per_cpu_offset", &addr) ||
	    ms_read(t, addr, k->percpu_offset, k->nr_cpu_ids * sizeof(uint64_t))) {
		ms_warn(t, "cannot read __per_cpu_offset[]");
		return -1;
	}
	return 0;
}

static int init_nodes(struct ms_target *t, struct ms_kernel *k)
{
	uint64_t node_data, nr_node_ids, pgdat;

	if (ms_symbol(t, "node_data", &node_data) == 0) {
		if (ms_read_sym_uint(t, "nr_node_ids", 4, &nr_node_ids) || nr_node_ids == 0 ||
		    nr_node_ids > 65536) {
			ms_warn(t, "cannot read nr_node_ids");
			return -1;
		}
		k->node_id = calloc(nr_node_ids, sizeof(int));
		k->pgdat = calloc(nr_node_ids, sizeof(uint64_t));
		if (!k->node_id || !k->pgdat)
			return -1;
		for (unsigned int n = 0; n < nr_node_ids; n++) {
			if (ms_read_ptr(t, node_data + 8ull * n, &pgdat)) {
				ms_warn(t, "cannot read node_data[%u]", n);
				continue;
			}
			if (!pgdat)
				continue;
			k->node_id[k->nr_nodes] = (int)n;
			k->pgdat[k->nr_nodes++] = pgdat;
		}
	} else if (ms_symbol(t, "contig_page_data", &pgdat) == 0) {
		k->node_id = calloc(1, sizeof(int));
		k->pgdat = calloc(1, sizeof(uint64_t));
		if (!k->node_id || !k->pgdat)
			return -1;
		k->pgdat[0] = pgdat;
		k->nr_nodes = 1;
	}
	if (!k->nr_nodes) {
		ms_warn(t, "no memory node found (neither node_data[] nor contig_page_data)");
		return -1;
	}
	return 0;
}

static int init_zones(struct ms_target *t, struct ms_kernel *k)
{
	long nr;
	uint64_t names, p;

	k->zone_size = ms_struct_size(t, "zone");
	k->node_zones_off = ms_member_offset(t, "pglist_data", "node_zones");
	if (k->zone_size <= 0 || k->node_zones_off < 0 || ms_enum(t, "__MAX_NR_ZONES", &nr) ||
	    nr <= 0 || nr > MS_MAX_ZONES) {
		ms_warn(t, "cannot resolve struct zone, pglist_data.node_zones or __MAX_NR_ZONES");
		return -1;
	}
	k->nr_zones = (unsigned int)nr;
	/* zone_names[] is the kernel's own table (mm/page_alloc.c). */
	for (unsigned int z = 0; z < k->nr_zones; z++) {
		snprintf(k->zone_name[z], MS_ZONE_NAME_LEN, "zone%u", z);
		if (ms_symbol(t, "zone_names", &names) == 0 && ms_read_ptr(t, names + 8ull * z, &p) == 0)
			ms_read_str(t, p, k->zone_name[z], MS_ZONE_NAME_LEN);
	}
	return 0;
}

const struct ms_kernel *ms_kernel(struct ms_target *t)
{
	struct ms_kernel *k = t->kern;

	if (k)
		return k;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	t->kern = k;
	if (init_cpus(t, k) || init_nodes(t, k) || init_zones(t, k)) {
		ms_kernel_free(t);
		return NULL;
	}
	return k;
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
	free(k);
	t->kern = NULL;
}
